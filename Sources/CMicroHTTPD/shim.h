#ifndef VAULT_CMICROHTTPD_SHIM_H
#define VAULT_CMICROHTTPD_SHIM_H

#include <stdarg.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/socket.h>
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

#endif
