/// The state libcurl's callbacks read and write during one transfer.
///
/// It lives on the thread that calls `curl_easy_perform` and is reached from the C callbacks
/// through an unretained pointer; the owning ``CurlTransfer`` keeps it alive meanwhile.
final class TransferContext {
    /// Where the response body goes.
    enum Destination {
        /// Collected in ``body``.
        case memory
        /// Written to a file opened when the first 2xx byte (or the end of a 2xx response) arrives.
        case file(path: String)
        /// Handed over chunk by chunk; `false` stops the transfer.
        case chunks((UnsafeRawBufferPointer) -> Bool)
    }

    /// Where the request body comes from.
    enum Source {
        case none
        case bytes([UInt8])
        case file(OwnedFile)
    }

    /// Non-2xx bodies sent to a file or a chunk handler are kept in memory up to this many bytes.
    static let errorBodyLimit = 1 << 20

    private let destination: Destination
    private let source: Source
    private var sourceOffset = 0
    private var outputFile: OwnedFile?
    let progress: (@Sendable (TransferProgress) -> Void)?

    private(set) var status = 0
    private(set) var headers: [(String, String)] = []
    private(set) var body: [UInt8] = []
    /// The first local failure in a callback; it explains a read or write error from libcurl.
    private(set) var failure: HTTPClientError?
    /// Whether the chunk handler asked to stop.
    private(set) var isStoppedByCaller = false

    init(destination: Destination, source: Source, progress: (@Sendable (TransferProgress) -> Void)?) {
        self.destination = destination
        self.source = source
        self.progress = progress
    }

    private var isSuccess: Bool { (200..<300).contains(status) }

    /// Takes one raw header line; a status line starts a fresh header set (after `100 Continue`).
    func receiveHeaderLine(_ bytes: UnsafeRawBufferPointer) {
        let line = String(decoding: bytes, as: UTF8.self)
        let trimmed = line.trimmingWhitespace()
        if trimmed.hasPrefix("HTTP/") {
            let fields = trimmed.split(separator: " ", maxSplits: 2)
            status = fields.count > 1 ? Int(fields[1]) ?? 0 : 0
            headers = []
        } else if let colon = trimmed.firstIndex(of: ":") {
            let name = String(trimmed[..<colon]).trimmingWhitespace()
            let value = String(trimmed[trimmed.index(after: colon)...]).trimmingWhitespace()
            headers.append((name, value))
        }
    }

    /// Takes one body chunk; returns false to make libcurl stop.
    func receiveBody(_ bytes: UnsafeRawBufferPointer) -> Bool {
        if case .memory = destination {
            body.append(contentsOf: bytes)
            return true
        }
        guard isSuccess else {
            keepErrorBody(bytes)
            return true
        }
        switch destination {
        case .memory:
            return true
        case .file(let path):
            return writeToFile(path: path, bytes)
        case .chunks(let handler):
            isStoppedByCaller = !handler(bytes)
            return !isStoppedByCaller
        }
    }

    /// Fills `buffer` with the next request bytes; returns the count, or nil on a read failure.
    func fillUpload(_ buffer: UnsafeMutableRawBufferPointer) -> Int? {
        switch source {
        case .none:
            return 0
        case .bytes(let bytes):
            let count = min(buffer.count, bytes.count - sourceOffset)
            bytes.withUnsafeBytes { all in
                buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: all[sourceOffset..<sourceOffset + count]))
            }
            sourceOffset += count
            return count
        case .file(let file):
            do throws(HTTPClientError) {
                return try file.readSome(into: buffer)
            } catch {
                failure = failure ?? error
                return nil
            }
        }
    }

    /// Rewinds the request body to `offset`, which libcurl asks for when it must resend.
    func seekUpload(to offset: Int64) -> Bool {
        switch source {
        case .none:
            return offset == 0
        case .bytes(let bytes):
            guard offset >= 0 && offset <= Int64(bytes.count) else {
                return false
            }
            sourceOffset = Int(offset)
            return true
        case .file(let file):
            return file.seek(to: offset)
        }
    }

    /// Ends the transfer: a 2xx download with an empty body still creates its file.
    func finish() throws(HTTPClientError) {
        if case .file(let path) = destination, isSuccess, outputFile == nil {
            outputFile = try OwnedFile.createForWriting(path)
        }
        outputFile = nil
    }

    private func writeToFile(path: String, _ bytes: UnsafeRawBufferPointer) -> Bool {
        do throws(HTTPClientError) {
            if outputFile == nil {
                outputFile = try OwnedFile.createForWriting(path)
            }
            try outputFile?.writeAll(bytes)
            return true
        } catch {
            failure = failure ?? error
            return false
        }
    }

    private func keepErrorBody(_ bytes: UnsafeRawBufferPointer) {
        let room = max(0, Self.errorBodyLimit - body.count)
        body.append(contentsOf: bytes.prefix(room))
    }
}

extension String {
    fileprivate func trimmingWhitespace() -> String {
        guard let first = firstIndex(where: { !$0.isWhitespace }), let last = lastIndex(where: { !$0.isWhitespace })
        else {
            return ""
        }
        return String(self[first...last])
    }
}
