#ifndef VAULT_CCURL_SHIM_H
#define VAULT_CCURL_SHIM_H

#include <curl/curl.h>

/* curl_easy_setopt and curl_easy_getinfo are variadic; these fix one argument type each. */

static inline CURLcode vault_curl_setopt_long(CURL *handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode vault_curl_setopt_string(CURL *handle, CURLoption option, const char *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode vault_curl_setopt_pointer(CURL *handle, CURLoption option, void *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode vault_curl_setopt_off(CURL *handle, CURLoption option, curl_off_t value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode vault_curl_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *value) {
    return curl_easy_setopt(handle, option, value);
}

typedef size_t (*vault_curl_data_callback)(char *data, size_t size, size_t count, void *context);
typedef int (*vault_curl_progress_callback)(void *context, curl_off_t dltotal, curl_off_t dlnow,
                                            curl_off_t ultotal, curl_off_t ulnow);

static inline CURLcode vault_curl_setopt_data_callback(CURL *handle, CURLoption option,
                                                       vault_curl_data_callback callback) {
    return curl_easy_setopt(handle, option, callback);
}

static inline CURLcode vault_curl_setopt_progress_callback(CURL *handle, vault_curl_progress_callback callback) {
    return curl_easy_setopt(handle, CURLOPT_XFERINFOFUNCTION, callback);
}

static inline CURLcode vault_curl_getinfo_long(CURL *handle, CURLINFO info, long *value) {
    return curl_easy_getinfo(handle, info, value);
}

static inline CURLcode vault_curl_getinfo_off(CURL *handle, CURLINFO info, curl_off_t *value) {
    return curl_easy_getinfo(handle, info, value);
}

/* CURL_GLOBAL_DEFAULT is a macro built from other macros. */
static inline CURLcode vault_curl_global_init_default(void) {
    return curl_global_init(CURL_GLOBAL_DEFAULT);
}

typedef int (*vault_curl_seek_callback)(void *context, curl_off_t offset, int origin);

static inline CURLcode vault_curl_setopt_seek_callback(CURL *handle, vault_curl_seek_callback callback) {
    return curl_easy_setopt(handle, CURLOPT_SEEKFUNCTION, callback);
}

static inline CURLcode vault_curl_setopt_mime(CURL *handle, curl_mime *mime) {
    return curl_easy_setopt(handle, CURLOPT_MIMEPOST, mime);
}

/* CURL_ZERO_TERMINATED is a cast macro Swift cannot import. */
static inline CURLcode vault_curl_mime_data_string(curl_mimepart *part, const char *value) {
    return curl_mime_data(part, value, CURL_ZERO_TERMINATED);
}

#endif
