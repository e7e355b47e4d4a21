#ifndef VAULT_CMICROHTTPD_SHIM_H
#define VAULT_CMICROHTTPD_SHIM_H

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <microhttpd.h>

/*
 * MHD_start_daemon is variadic. Callers build an MHD_OPTION_ARRAY list in Swift and pass it
 * through this fixed-arity wrapper.
 */
static inline struct MHD_Daemon *vault_mhd_start(unsigned int flags, uint16_t port,
                                                 MHD_AccessHandlerCallback handler, void *handler_context,
                                                 struct MHD_OptionItem *options) {
    return MHD_start_daemon(flags, port, NULL, NULL, handler, handler_context,
                            MHD_OPTION_ARRAY, options, MHD_OPTION_END);
}

/* An option item taking one integer (timeouts, limits, sizes). */
static inline struct MHD_OptionItem vault_mhd_option_value(enum MHD_OPTION option, intptr_t value) {
    struct MHD_OptionItem item = { option, value, NULL };
    return item;
}

/* An option item taking one pointer (socket address, PEM text). */
static inline struct MHD_OptionItem vault_mhd_option_pointer(enum MHD_OPTION option, void *pointer) {
    struct MHD_OptionItem item = { option, 0, pointer };
    return item;
}

/*
 * Options taking a function and its context: in an MHD_OPTION_ARRAY the function travels cast to
 * intptr_t in `value`, which Swift cannot express for a C function pointer.
 */
static inline struct MHD_OptionItem vault_mhd_option_notify_completed(MHD_RequestCompletedCallback callback,
                                                                      void *context) {
    struct MHD_OptionItem item = { MHD_OPTION_NOTIFY_COMPLETED, (intptr_t) callback, context };
    return item;
}

typedef void *(*vault_mhd_uri_log_callback)(void *context, const char *uri, struct MHD_Connection *connection);

static inline struct MHD_OptionItem vault_mhd_option_uri_log(vault_mhd_uri_log_callback callback, void *context) {
    struct MHD_OptionItem item = { MHD_OPTION_URI_LOG_CALLBACK, (intptr_t) callback, context };
    return item;
}

typedef size_t (*vault_mhd_unescape_callback)(void *context, struct MHD_Connection *connection, char *text);

static inline struct MHD_OptionItem vault_mhd_option_unescape(vault_mhd_unescape_callback callback, void *context) {
    struct MHD_OptionItem item = { MHD_OPTION_UNESCAPE_CALLBACK, (intptr_t) callback, context };
    return item;
}

static inline struct MHD_OptionItem vault_mhd_option_logger(MHD_LogCallback callback, void *context) {
    struct MHD_OptionItem item = { MHD_OPTION_EXTERNAL_LOGGER, (intptr_t) callback, context };
    return item;
}

static inline struct MHD_OptionItem vault_mhd_option_end(void) {
    struct MHD_OptionItem item = { MHD_OPTION_END, 0, NULL };
    return item;
}

/* MHD_get_daemon_info is variadic; returns 0 when the port is unknown. */
static inline uint16_t vault_mhd_bound_port(struct MHD_Daemon *daemon) {
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(daemon, MHD_DAEMON_INFO_BIND_PORT);
    return info == NULL ? 0 : info->port;
}

/*
 * Writes the peer's numeric address into `buffer` (MHD_get_connection_info is variadic).
 * Returns 0 on success, -1 when the address is unknown or of another family.
 */
static inline int vault_mhd_client_address(struct MHD_Connection *connection, char *buffer, socklen_t size) {
    const union MHD_ConnectionInfo *info = MHD_get_connection_info(connection, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (info == NULL || info->client_addr == NULL) {
        return -1;
    }
    const struct sockaddr *address = info->client_addr;
    const void *raw = NULL;
    if (address->sa_family == AF_INET) {
        raw = &((const struct sockaddr_in *) address)->sin_addr;
    } else if (address->sa_family == AF_INET6) {
        raw = &((const struct sockaddr_in6 *) address)->sin6_addr;
    } else {
        return -1;
    }
    return inet_ntop(address->sa_family, raw, buffer, size) == NULL ? -1 : 0;
}

/* Formats an MHD log line; Swift cannot forward a va_list to vsnprintf portably otherwise. */
static inline int vault_mhd_format_log(char *buffer, size_t size, const char *format, va_list arguments) {
    return vsnprintf(buffer, size, format, arguments);
}

#endif
