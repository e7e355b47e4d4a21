import CCurl

/// Owns one `CURL` easy handle and its error buffer; used by one thread for one request.
final class CurlEasyHandle {
    let handle: UnsafeMutableRawPointer
    private let errorBuffer: UnsafeMutablePointer<CChar>

    init() throws(HTTPClientError) {
        try CurlGlobal.ensureInitialized()
        guard let handle = curl_easy_init() else {
            throw HTTPClientError(.transport, "libcurl could not create a handle")
        }
        self.handle = handle
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        try set(CURLOPT_ERRORBUFFER, pointer: UnsafeMutableRawPointer(errorBuffer))
    }

    deinit {
        curl_easy_cleanup(handle)
        errorBuffer.deallocate()
    }

    /// libcurl's detailed text for the last failure, or its generic text for `code`.
    func errorText(for code: CURLcode) -> String {
        let detail = String(cString: errorBuffer).trimmingTrailingNewlines()
        return detail.isEmpty ? CurlGlobal.text(for: code) : detail
    }

    func set(_ option: CURLoption, _ value: Int) throws(HTTPClientError) {
        try check(vault_curl_setopt_long(handle, option, value), option)
    }

    func set(_ option: CURLoption, _ value: String) throws(HTTPClientError) {
        try check(vault_curl_setopt_string(handle, option, value), option)
    }

    func set(_ option: CURLoption, offset value: Int64) throws(HTTPClientError) {
        try check(vault_curl_setopt_off(handle, option, curl_off_t(value)), option)
    }

    func set(_ option: CURLoption, pointer value: UnsafeMutableRawPointer?) throws(HTTPClientError) {
        try check(vault_curl_setopt_pointer(handle, option, value), option)
    }

    func set(_ option: CURLoption, list: CurlHeaderList) throws(HTTPClientError) {
        try check(vault_curl_setopt_slist(handle, option, list.list), option)
    }

    func set(_ option: CURLoption, callback: vault_curl_data_callback) throws(HTTPClientError) {
        try check(vault_curl_setopt_data_callback(handle, option, callback), option)
    }

    func setProgress(callback: vault_curl_progress_callback) throws(HTTPClientError) {
        try check(vault_curl_setopt_progress_callback(handle, callback), CURLOPT_XFERINFOFUNCTION)
    }

    func setSeek(callback: vault_curl_seek_callback) throws(HTTPClientError) {
        try check(vault_curl_setopt_seek_callback(handle, callback), CURLOPT_SEEKFUNCTION)
    }

    func set(mime: CurlMime) throws(HTTPClientError) {
        try check(vault_curl_setopt_mime(handle, mime.mime), CURLOPT_MIMEPOST)
    }

    /// Runs the transfer on the calling thread; returns libcurl's result for the caller to map.
    func perform() -> CURLcode {
        errorBuffer[0] = 0
        return curl_easy_perform(handle)
    }

    /// A `long` fact about the finished transfer, or 0 if libcurl has none.
    func info(_ info: CURLINFO) -> Int {
        var value = 0
        guard vault_curl_getinfo_long(handle, info, &value) == CURLE_OK else {
            return 0
        }
        return value
    }

    private func check(_ result: CURLcode, _ option: CURLoption) throws(HTTPClientError) {
        guard result == CURLE_OK else {
            let text = CurlGlobal.text(for: result)
            throw HTTPClientError(.transport, "libcurl rejected option \(option.rawValue): \(text)")
        }
    }
}

extension String {
    fileprivate func trimmingTrailingNewlines() -> String {
        var text = Substring(self)
        while let last = text.last, last == "\n" || last == "\r" {
            text = text.dropLast()
        }
        return String(text)
    }
}
