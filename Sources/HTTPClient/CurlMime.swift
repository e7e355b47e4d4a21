import CCurl

/// Owns a `curl_mime` form whose file parts libcurl streams from disk; freed on release.
final class CurlMime {
    let mime: OpaquePointer

    /// Creates an empty form for `easy`.
    init(easy: CurlEasyHandle) throws(HTTPClientError) {
        guard let mime = curl_mime_init(easy.handle) else {
            throw HTTPClientError(.transport, "out of memory creating a multipart form")
        }
        self.mime = mime
    }

    deinit {
        curl_mime_free(mime)
    }

    /// Adds a text field.
    func addField(name: String, value: String) throws(HTTPClientError) {
        let part = try addPart()
        try check(curl_mime_name(part, name), "naming field \(name)")
        try check(vault_curl_mime_data_string(part, value), "setting field \(name)")
    }

    /// Adds a file part; libcurl reads `path` while sending, so the file is never loaded whole.
    func addFile(field: String, path: String, filename: String) throws(HTTPClientError) {
        let part = try addPart()
        try check(curl_mime_name(part, field), "naming field \(field)")
        try check(curl_mime_filedata(part, path), "attaching file \(path)")
        try check(curl_mime_filename(part, filename), "naming file \(filename)")
        try check(curl_mime_type(part, "application/octet-stream"), "typing file \(filename)")
    }

    private func addPart() throws(HTTPClientError) -> OpaquePointer {
        guard let part = curl_mime_addpart(mime) else {
            throw HTTPClientError(.transport, "out of memory adding a multipart part")
        }
        return part
    }

    private func check(_ result: CURLcode, _ doing: String) throws(HTTPClientError) {
        guard result == CURLE_OK else {
            throw HTTPClientError(.transport, "multipart form: \(doing) failed: \(CurlGlobal.text(for: result))")
        }
    }
}
