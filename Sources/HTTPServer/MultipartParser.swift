import Glibc

/// An incremental `multipart/form-data` parser (RFC 7578, RFC 2046 §5.1): a pure state machine.
///
/// Feed it the body in chunks of any size with `parse(_:_:)`; it reports each part's head, its
/// bytes and its end as they become known, and holds back only the few bytes at the end of a chunk
/// that could be the start of a boundary split across reads. It never buffers a part's content,
/// does no I/O and knows nothing of what the parts mean.
public struct MultipartParser: Sendable {
    /// What the parser found in the bytes given to it.
    public enum Event {
        /// A part begins; its header block has been read.
        case partBegin(MultipartPartHead)
        /// Bytes of the current part's content, valid only during the handler call.
        case partData(UnsafeRawBufferPointer)
        /// The current part's content is complete.
        case partEnd
    }

    private enum State {
        /// Before the first boundary; bytes are ignored.
        case preamble
        case headers
        case content
        /// After the closing boundary; bytes are ignored.
        case epilogue
    }

    /// What a search for the next boundary found.
    private enum Scan {
        /// Content ends at `contentEnd`; the boundary line ends at `next`; `closing` for `--`.
        case boundary(contentEnd: Int, next: Int, closing: Bool)
        /// Content is certain up to `contentEnd`; what follows may begin a boundary.
        case incomplete(contentEnd: Int)
    }

    /// What follows `CRLF--boundary`.
    private enum LineEnd {
        case closing(next: Int)
        case part(next: Int)
        case undecided
        /// Not a boundary after all: the boundary text is followed by other bytes, so it is content.
        case content
    }

    /// `CRLF--boundary`: what ends a part's content.
    private let delimiter: [UInt8]
    /// The largest header block a part may have.
    public let maxHeaderBytes: Int
    private var state = State.preamble
    /// The end of the previous chunk, held back because it may begin a boundary line.
    private var carry: [UInt8]
    private var headerBlock: [UInt8] = []
    private var sawBoundary = false

    /// A parser for bodies delimited by `boundary`, as found with `boundary(fromContentType:)`.
    public init(boundary: String, maxHeaderBytes: Int = 16 * 1024) {
        delimiter = Array("\r\n--\(boundary)".utf8)
        self.maxHeaderBytes = maxHeaderBytes
        // The first boundary may open the body without a CRLF before it; pretending one was seen
        // lets a single search rule find every boundary.
        carry = [0x0d, 0x0a]
    }

    /// Whether the closing boundary has been read.
    public var isComplete: Bool {
        if case .epilogue = state { return true }
        return false
    }

    /// Parses the next chunk of the body, calling `handler` for each event in order.
    ///
    /// Throws `MultipartError` for a framing fault, or whatever `handler` throws; after a throw the
    /// parser must not be used again.
    public mutating func parse(_ chunk: UnsafeRawBufferPointer, _ handler: (Event) throws -> Void) throws {
        guard !carry.isEmpty else {
            try run(chunk, handler)
            return
        }
        // A held-back tail is rare (the chunk must end inside a possible boundary line) and at most
        // a boundary line long, so joining it with the next chunk costs little.
        var joined = carry
        carry = []
        joined.append(contentsOf: chunk)
        try joined.withUnsafeBytes { try run($0, handler) }
    }

    /// Checks the body ended after the closing boundary.
    public func finish() throws(MultipartError) {
        guard !isComplete else { return }
        guard sawBoundary else {
            throw MultipartError(.noParts, "the body holds no multipart boundary")
        }
        throw MultipartError(.truncated, "the body ended before the closing multipart boundary")
    }

    private mutating func run(_ buffer: UnsafeRawBufferPointer, _ handler: (Event) throws -> Void) throws {
        var position = 0
        while position < buffer.count {
            switch state {
            case .preamble, .content:
                let emits: Bool
                if case .content = state { emits = true } else { emits = false }
                switch scanContent(buffer, from: position) {
                case .boundary(let contentEnd, let next, let closing):
                    if emits {
                        if contentEnd > position {
                            try handler(.partData(UnsafeRawBufferPointer(rebasing: buffer[position..<contentEnd])))
                        }
                        try handler(.partEnd)
                    }
                    sawBoundary = true
                    headerBlock.removeAll(keepingCapacity: true)
                    state = closing ? .epilogue : .headers
                    position = next
                case .incomplete(let contentEnd):
                    if emits, contentEnd > position {
                        try handler(.partData(UnsafeRawBufferPointer(rebasing: buffer[position..<contentEnd])))
                    }
                    carry = Array(buffer[contentEnd...])
                    return
                }
            case .headers:
                position = try readHeaders(buffer, from: position, handler)
            case .epilogue:
                return
            }
        }
    }

    /// Finds the next boundary line at or after `start`.
    ///
    /// A boundary is `CRLF--boundary` followed by `--`, or by optional padding and CRLF (RFC 2046);
    /// the same text followed by anything else is content, as robust parsers treat it.
    private func scanContent(_ buffer: UnsafeRawBufferPointer, from start: Int) -> Scan {
        guard let base = buffer.baseAddress else { return .incomplete(contentEnd: start) }
        return delimiter.withUnsafeBytes { pattern -> Scan in
            var search = start
            while search < buffer.count {
                guard let hit = memchr(base + search, 0x0d, buffer.count - search) else { break }
                let index = base.distance(to: UnsafeRawPointer(hit))
                let available = buffer.count - index
                if available < pattern.count {
                    if memcmp(hit, pattern.baseAddress!, available) == 0 {
                        return .incomplete(contentEnd: index)
                    }
                } else if memcmp(hit, pattern.baseAddress!, pattern.count) == 0 {
                    switch lineEnd(buffer, from: index + pattern.count) {
                    case .closing(let next): return .boundary(contentEnd: index, next: next, closing: true)
                    case .part(let next): return .boundary(contentEnd: index, next: next, closing: false)
                    case .undecided: return .incomplete(contentEnd: index)
                    case .content: break
                    }
                }
                search = index + 1
            }
            return .incomplete(contentEnd: buffer.count)
        }
    }

    private func lineEnd(_ buffer: UnsafeRawBufferPointer, from start: Int) -> LineEnd {
        guard start < buffer.count else { return .undecided }
        if buffer[start] == UInt8(ascii: "-") {
            guard start + 1 < buffer.count else { return .undecided }
            return buffer[start + 1] == UInt8(ascii: "-") ? .closing(next: start + 2) : .content
        }
        var index = start
        // RFC 2046 allows transport padding before the CRLF; a little of it is plenty.
        while index < buffer.count, buffer[index] == 0x20 || buffer[index] == 0x09 {
            index += 1
            guard index - start <= 64 else { return .content }
        }
        guard index < buffer.count else { return .undecided }
        guard buffer[index] == 0x0d else { return .content }
        guard index + 1 < buffer.count else { return .undecided }
        return buffer[index + 1] == 0x0a ? .part(next: index + 2) : .content
    }

    /// Collects header bytes up to the empty line; returns where the part's content begins.
    private mutating func readHeaders(
        _ chunk: UnsafeRawBufferPointer, from start: Int, _ handler: (Event) throws -> Void
    ) throws -> Int {
        var position = start
        while position < chunk.count {
            headerBlock.append(chunk[position])
            position += 1
            let count = headerBlock.count
            guard count <= maxHeaderBytes else {
                throw MultipartError(.headersTooLarge, "a part's headers exceed \(maxHeaderBytes) bytes")
            }
            let endsLine = count >= 2 && headerBlock[count - 2] == 0x0d && headerBlock[count - 1] == 0x0a
            guard endsLine else { continue }
            let isEmptyBlock = count == 2
            let endsBlock = count >= 4 && headerBlock[count - 4] == 0x0d && headerBlock[count - 3] == 0x0a
            guard isEmptyBlock || endsBlock else { continue }
            let head = try MultipartPartHead(block: Array(headerBlock.prefix(max(0, count - 4))))
            headerBlock.removeAll(keepingCapacity: true)
            state = .content
            try handler(.partBegin(head))
            return position
        }
        return position
    }
}
