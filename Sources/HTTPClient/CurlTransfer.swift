import CCurl

/// One configured request: the easy handle plus everything libcurl points into while it runs.
///
/// Keeping the header list, the form and the context as stored properties guarantees they
/// outlive `curl_easy_perform`.
final class CurlTransfer {
    /// What goes after the headers: a plain body or a multipart form.
    enum Payload {
        case body(HTTPClientRequest.Body)
        case multipart(fields: [FormField], files: [FormFile])
    }

    /// A text part of a multipart form.
    typealias FormField = (name: String, value: String)
    /// A file part of a multipart form, streamed from `path`.
    typealias FormFile = (field: String, path: String, filename: String)

    /// Bodies below this size go without `Expect: 100-continue`; larger ones let the server refuse first.
    static let expectContinueThreshold: Int64 = 1 << 20

    private let easy: CurlEasyHandle
    private let target: CurlURL
    private let headerList = CurlHeaderList()
    private var mime: CurlMime?
    private let context: TransferContext

    init(
        settings: HTTPClient.Settings,
        request: HTTPClientRequest,
        payload: Payload,
        destination: TransferContext.Destination,
        progress: (@Sendable (TransferProgress) -> Void)?
    ) throws(HTTPClientError) {
        target = try CurlURL(parsing: request.url)
        easy = try CurlEasyHandle()
        let (source, uploadSize) = try Self.prepareSource(payload)
        context = TransferContext(destination: destination, source: source, progress: progress)

        try applyConnection(settings: settings, request: request)
        try applyCallbacks(hasProgress: progress != nil)
        try applyMethod(request.method, payload: payload, uploadSize: uploadSize)
        try applyHeaders(request.headers, uploadSize: uploadSize)
    }

    /// Runs the request on the calling thread and collects the response.
    func perform() throws(HTTPClientError) -> HTTPClientResponse {
        let result = easy.perform()
        if result != CURLE_OK && !(result == CURLE_WRITE_ERROR && context.isStoppedByCaller) {
            throw error(for: result)
        }
        try context.finish()
        let status = easy.info(CURLINFO_RESPONSE_CODE)
        return HTTPClientResponse(status: status, headers: context.headers, body: context.body)
    }

    private static func prepareSource(_ payload: Payload) throws(HTTPClientError) -> (TransferContext.Source, Int64?) {
        switch payload {
        case .body(.none):
            return (.none, nil)
        case .multipart(_, let files):
            // Opening each file now turns a missing one into a clear error before connecting.
            var total: Int64 = 0
            for file in files {
                total += try OwnedFile.openForReading(file.path).size
            }
            return (.none, total)
        case .body(.bytes(let bytes)):
            return (.bytes(bytes), Int64(bytes.count))
        case .body(.file(let path)):
            let (file, size) = try OwnedFile.openForReading(path)
            return (.file(file), size)
        }
    }

    private func applyConnection(settings: HTTPClient.Settings, request: HTTPClientRequest) throws(HTTPClientError) {
        try easy.set(CURLOPT_URL, request.url)
        try easy.set(CURLOPT_PROTOCOLS_STR, "http,https")
        try easy.set(CURLOPT_FOLLOWLOCATION, 0)
        // Signals cannot reach the right thread; timeouts must not use them.
        try easy.set(CURLOPT_NOSIGNAL, 1)
        try easy.set(CURLOPT_TCP_KEEPALIVE, 1)
        try easy.set(CURLOPT_USERAGENT, settings.userAgent)
        try easy.set(CURLOPT_CONNECTTIMEOUT_MS, Self.milliseconds(request.connectTimeoutSeconds))
        if let total = request.timeoutSeconds {
            try easy.set(CURLOPT_TIMEOUT_MS, Self.milliseconds(total))
        }
        if let caFile = settings.tlsCAFile {
            try easy.set(CURLOPT_CAINFO, caFile)
        }
        if settings.insecureSkipVerify {
            try easy.set(CURLOPT_SSL_VERIFYPEER, 0)
            try easy.set(CURLOPT_SSL_VERIFYHOST, 0)
        }
    }

    private func applyCallbacks(hasProgress: Bool) throws(HTTPClientError) {
        let pointer = Unmanaged.passUnretained(context).toOpaque()
        try easy.set(CURLOPT_WRITEFUNCTION, callback: CurlCallbacks.write)
        try easy.set(CURLOPT_WRITEDATA, pointer: pointer)
        try easy.set(CURLOPT_HEADERFUNCTION, callback: CurlCallbacks.header)
        try easy.set(CURLOPT_HEADERDATA, pointer: pointer)
        try easy.set(CURLOPT_READFUNCTION, callback: CurlCallbacks.read)
        try easy.set(CURLOPT_READDATA, pointer: pointer)
        try easy.setSeek(callback: CurlCallbacks.seek)
        try easy.set(CURLOPT_SEEKDATA, pointer: pointer)
        guard hasProgress else {
            return
        }
        try easy.setProgress(callback: CurlCallbacks.progress)
        try easy.set(CURLOPT_XFERINFODATA, pointer: pointer)
        try easy.set(CURLOPT_NOPROGRESS, 0)
    }

    private func applyMethod(_ method: String, payload: Payload, uploadSize: Int64?) throws(HTTPClientError) {
        guard CurlHeaderList.isToken(method) else {
            throw HTTPClientError(.invalidRequest, "'\(method)' is not a valid HTTP method")
        }
        if case .multipart(let fields, let files) = payload {
            try attachForm(fields: fields, files: files)
            if method != "POST" {
                try easy.set(CURLOPT_CUSTOMREQUEST, method)
            }
            return
        }
        let sendsEmptyBody = ["POST", "PUT", "PATCH"].contains(method)
        if let uploadSize {
            try easy.set(CURLOPT_UPLOAD, 1)
            try easy.set(CURLOPT_INFILESIZE_LARGE, offset: uploadSize)
            try easy.set(CURLOPT_CUSTOMREQUEST, method)
        } else if sendsEmptyBody {
            // An upload of zero bytes makes curl send `Content-Length: 0`, which servers expect.
            try easy.set(CURLOPT_UPLOAD, 1)
            try easy.set(CURLOPT_INFILESIZE_LARGE, offset: 0)
            try easy.set(CURLOPT_CUSTOMREQUEST, method)
        } else if method == "GET" {
            try easy.set(CURLOPT_HTTPGET, 1)
        } else if method == "HEAD" {
            try easy.set(CURLOPT_NOBODY, 1)
        } else {
            try easy.set(CURLOPT_CUSTOMREQUEST, method)
        }
    }

    private func attachForm(fields: [FormField], files: [FormFile]) throws(HTTPClientError) {
        let form = try CurlMime(easy: easy)
        for field in fields {
            try form.addField(name: field.name, value: field.value)
        }
        for file in files {
            try form.addFile(field: file.field, path: file.path, filename: file.filename)
        }
        try easy.set(mime: form)
        mime = form
    }

    private func applyHeaders(_ headers: [(String, String)], uploadSize: Int64?) throws(HTTPClientError) {
        for (name, value) in headers {
            try headerList.append(name: name, value: value)
        }
        let hasExpect = headers.contains { $0.0.lowercased() == "expect" }
        if !hasExpect && (uploadSize ?? 0) < Self.expectContinueThreshold {
            // An empty `Expect:` stops curl waiting up to a second for `100 Continue`.
            try headerList.appendLine("Expect:")
        }
        try easy.set(CURLOPT_HTTPHEADER, list: headerList)
    }

    private func error(for result: CURLcode) -> HTTPClientError {
        // A callback's own failure (a full disk, an unreadable file) explains curl's generic code.
        let callbackCodes = [CURLE_READ_ERROR, CURLE_WRITE_ERROR, CURLE_ABORTED_BY_CALLBACK]
        if let failure = context.failure, callbackCodes.contains(result) {
            return failure
        }
        return CurlErrorMapping.error(
            for: result,
            authority: target.authority,
            host: target.host,
            detail: easy.errorText(for: result),
            systemError: Int32(truncatingIfNeeded: easy.info(CURLINFO_OS_ERRNO))
        )
    }

    private static func milliseconds(_ seconds: Double) -> Int {
        guard seconds.isFinite && seconds > 0 else {
            return 0
        }
        return max(1, Int((seconds * 1000).rounded(.up)))
    }
}
