import CCurl

/// Runs `curl_global_init` once per process, before the first easy handle exists.
enum CurlGlobal {
    /// Swift initialises a global exactly once, thread-safely, on first use.
    private static let initResult: CURLcode = vault_curl_global_init_default()

    /// Initialises libcurl if nothing has yet; throws if that failed.
    static func ensureInitialized() throws(HTTPClientError) {
        let result = initResult
        guard result == CURLE_OK else {
            throw HTTPClientError(.transport, "libcurl failed to initialise: \(CurlGlobal.text(for: result))")
        }
    }

    /// libcurl's own words for a result code.
    static func text(for code: CURLcode) -> String {
        String(cString: curl_easy_strerror(code))
    }
}
