import CCurl

/// Owns a `CURLU` handle, used to check a URL and name its host and port in error text.
final class CurlURL {
    private let handle: OpaquePointer

    /// The URL's host, such as `127.0.0.1` or `[::1]`.
    let host: String
    /// The URL's port, the scheme's default when none is written.
    let port: String
    /// `host:port`, for error messages.
    var authority: String { "\(host):\(port)" }

    /// Parses `url`; only `http` and `https` are accepted. The URL itself never goes into the error.
    init(parsing url: String) throws(HTTPClientError) {
        guard let handle = curl_url() else {
            throw HTTPClientError(.transport, "out of memory parsing a URL")
        }
        self.handle = handle
        let result = curl_url_set(handle, CURLUPART_URL, url, 0)
        guard result == CURLUE_OK else {
            curl_url_cleanup(handle)
            throw HTTPClientError(.invalidURL, "invalid URL: \(String(cString: curl_url_strerror(result)))")
        }
        let scheme = Self.part(of: handle, CURLUPART_SCHEME, flags: 0) ?? ""
        guard scheme == "http" || scheme == "https" else {
            curl_url_cleanup(handle)
            throw HTTPClientError(.invalidURL, "unsupported URL scheme '\(scheme)'; use http or https")
        }
        host = Self.part(of: handle, CURLUPART_HOST, flags: 0) ?? "?"
        port = Self.part(of: handle, CURLUPART_PORT, flags: UInt32(CURLU_DEFAULT_PORT)) ?? "?"
    }

    deinit {
        curl_url_cleanup(handle)
    }

    private static func part(of handle: OpaquePointer, _ what: CURLUPart, flags: UInt32) -> String? {
        var text: UnsafeMutablePointer<CChar>?
        let result = curl_url_get(handle, what, &text, flags)
        guard result == CURLUE_OK, let text else {
            return nil
        }
        defer { curl_free(text) }
        return String(cString: text)
    }
}
