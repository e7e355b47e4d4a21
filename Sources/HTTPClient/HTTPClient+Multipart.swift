extension HTTPClient {
    /// Posts a `multipart/form-data` form whose file parts libcurl streams from disk.
    ///
    /// Text fields come first, then the files in order, each as `application/octet-stream`.
    /// A missing or unreadable file throws ``HTTPClientError/Code/io`` before connecting.
    /// - Parameters:
    ///   - url: The form's target.
    ///   - headers: Extra request headers, such as `Authorization`.
    ///   - fields: Text parts, by name.
    ///   - files: File parts: the form field, the local path and the file name to announce.
    ///   - timeoutSeconds: The limit for the whole upload; `nil` means none.
    ///   - progress: Called with byte counts as the form is sent.
    public func uploadMultipart(
        url: String,
        headers: [(String, String)] = [],
        fields: [(name: String, value: String)] = [],
        files: [(field: String, path: String, filename: String)],
        timeoutSeconds: Double? = nil,
        progress: (@Sendable (TransferProgress) -> Void)? = nil
    ) throws(HTTPClientError) -> HTTPClientResponse {
        var request = HTTPClientRequest(method: "POST", url: url, headers: headers)
        request.timeoutSeconds = timeoutSeconds
        let transfer = try CurlTransfer(
            settings: settings,
            request: request,
            payload: .multipart(fields: fields, files: files),
            destination: .memory,
            progress: progress
        )
        return try transfer.perform()
    }
}
