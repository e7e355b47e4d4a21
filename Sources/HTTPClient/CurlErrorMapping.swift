import CCurl

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Turns a failed `curl_easy_perform` into an ``HTTPClientError`` with a readable reason.
enum CurlErrorMapping {
    /// Maps `code`; `detail` is libcurl's error-buffer text, `systemError` its `CURLINFO_OS_ERRNO`.
    static func error(
        for code: CURLcode,
        authority: String,
        host: String,
        detail: String,
        systemError: Int32
    ) -> HTTPClientError {
        switch code {
        case CURLE_COULDNT_CONNECT:
            return HTTPClientError(.connectionRefused, "cannot connect to \(authority): \(connectText(systemError))")
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY:
            return HTTPClientError(.cannotResolve, "cannot resolve host \(host)")
        case CURLE_OPERATION_TIMEDOUT:
            return HTTPClientError(.timedOut, "request to \(authority) timed out: \(detail)")
        case CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL:
            return HTTPClientError(.invalidURL, "invalid URL: \(detail)")
        case CURLE_READ_ERROR:
            return HTTPClientError(.io, "cannot read the request body: \(detail)")
        case CURLE_WRITE_ERROR:
            return HTTPClientError(.io, "cannot store the response body: \(detail)")
        default:
            if isTLS(code) {
                return HTTPClientError(.tls, "TLS with \(authority) failed: \(detail)")
            }
            return HTTPClientError(.transport, "request to \(authority) failed: \(detail)")
        }
    }

    private static func connectText(_ systemError: Int32) -> String {
        switch systemError {
        case 0:
            return "connection failed"
        case ECONNREFUSED:
            return "connection refused"
        default:
            return String(cString: strerror(systemError)).lowercased()
        }
    }

    private static func isTLS(_ code: CURLcode) -> Bool {
        let tlsCodes: [CURLcode] = [
            CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER,
            CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ENGINE_NOTFOUND, CURLE_SSL_ENGINE_SETFAILED,
            CURLE_SSL_ENGINE_INITFAILED, CURLE_SSL_SHUTDOWN_FAILED, CURLE_SSL_CRL_BADFILE, CURLE_SSL_ISSUER_ERROR,
            CURLE_SSL_PINNEDPUBKEYNOTMATCH, CURLE_SSL_INVALIDCERTSTATUS, CURLE_SSL_CLIENTCERT, CURLE_USE_SSL_FAILED,
        ]
        return tlsCodes.contains(code)
    }
}
