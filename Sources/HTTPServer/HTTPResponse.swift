import Foundation

/// A response to send: a status, header fields and a body.
public struct HTTPResponse: Sendable {
    /// Where the body's bytes come from.
    public enum Body: Sendable {
        /// Bytes in memory.
        case bytes([UInt8])
        /// `length` bytes of an open file from `offset`, sent with sendfile where possible.
        /// The server takes ownership of the descriptor and closes it when the response is done.
        case file(descriptor: Int32, offset: UInt64, length: UInt64)
        /// No body, but `Content-Length` announces `length` (for `HEAD`).
        case headOnly(length: UInt64)
    }

    public var status: Int
    public var headers: HTTPHeaders
    public var body: Body

    public init(status: Int, headers: HTTPHeaders = HTTPHeaders(), body: Body = .bytes([])) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A JSON response from already encoded bytes.
    public static func json(_ status: Int, _ data: Data) -> HTTPResponse {
        var headers = HTTPHeaders()
        headers.add("Content-Type", "application/json")
        return HTTPResponse(status: status, headers: headers, body: .bytes(Array(data)))
    }

    /// The JSON error body of the API: `{"error": {"code": ..., "message": ...}}`.
    public static func error(_ status: Int, code: String, message: String) -> HTTPResponse {
        let object: [String: Any] = ["error": ["code": code, "message": message]]
        let data =
            (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]))
            ?? Data()
        return json(status, data)
    }
}

/// The answer to a request: now, or later from another thread (long polls).
public enum HTTPReply: Sendable {
    case now(HTTPResponse)
    /// The server suspends the connection and calls `start` with a completion; calling the
    /// completion (once, from any thread) resumes the connection and sends the response.
    case later(@Sendable (_ complete: @escaping @Sendable (HTTPResponse) -> Void) -> Void)
}

/// Receives a request body chunk by chunk as it arrives, for uploads too large for memory.
public protocol HTTPBodyConsumer: AnyObject, Sendable {
    /// Takes the next chunk; the bytes are valid only during the call. Throwing ends the request
    /// with the thrown response, and no further chunk is delivered.
    func consume(_ chunk: UnsafeRawBufferPointer) throws(HTTPRejection)
    /// Called once after the last chunk; returns the reply.
    func finish() -> HTTPReply
    /// Called when the request ends without `finish` (the client went away, the server stops, or
    /// `consume` threw), so partial work can be removed.
    func abort()
}

/// An error that carries the response to send instead.
public struct HTTPRejection: Error, Sendable {
    public var response: HTTPResponse

    public init(_ response: HTTPResponse) {
        self.response = response
    }
}

/// How a request is handled once its head has arrived.
public enum HTTPRoute: Sendable {
    /// Answer at once; any body is read and discarded.
    case respond(HTTPResponse)
    /// Collect up to `limit` body bytes in memory, then call `handler`. A larger body gets 413
    /// (before it is read, when `Content-Length` already tells) and the handler is not called.
    case collect(limit: Int, handler: @Sendable (HTTPRequest) -> HTTPReply)
    /// Hand the body to a consumer as it streams in.
    case stream(any HTTPBodyConsumer)
}

/// Decides, from a request's head, how the request is handled. Called on the server's worker
/// threads, concurrently; implementations must be thread-safe and may block briefly.
public protocol HTTPResponder: Sendable {
    func route(_ head: HTTPRequestHead) -> HTTPRoute
}
