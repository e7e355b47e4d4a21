/// An error thrown by ``HTTPClient``: what went wrong, in words safe to show and log.
///
/// The reason names hosts, ports and file paths but never a header value (tokens) or a body.
/// Two errors are equal when their codes are equal.
public struct HTTPClientError: Error, CustomStringConvertible, Equatable {
    /// The kind of failure, for callers that branch on it.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Kind: String, Hashable, Sendable {
            case connectionRefused
            case cannotResolve
            case timedOut
            case tls
            case invalidURL
            case invalidRequest
            case io
            case transport
        }

        private let kind: Kind

        private init(_ kind: Kind) {
            self.kind = kind
        }

        /// Nothing accepted the connection (refused, unreachable, connect failed).
        public static let connectionRefused = Code(.connectionRefused)
        /// The host name could not be resolved.
        public static let cannotResolve = Code(.cannotResolve)
        /// The connect timeout or the request's total timeout expired.
        public static let timedOut = Code(.timedOut)
        /// The TLS handshake or certificate verification failed.
        public static let tls = Code(.tls)
        /// The URL is malformed or uses a scheme other than http or https.
        public static let invalidURL = Code(.invalidURL)
        /// The request itself is unusable: a bad method or a header with a line break.
        public static let invalidRequest = Code(.invalidRequest)
        /// A local file could not be read or written.
        public static let io = Code(.io)
        /// Any other failure while talking to the server.
        public static let transport = Code(.transport)

        /// The code's name, such as `timedOut`.
        public var description: String { kind.rawValue }
    }

    /// The kind of failure.
    public let code: Code
    /// Human text describing the failure; free of header values and bodies.
    public let reason: String
    /// The source file that threw the error.
    public let file: String
    /// The source line that threw the error.
    public let line: Int

    /// Creates an error; `file` and `line` default to the caller's location.
    public init(_ code: Code, _ reason: String, file: String = #fileID, line: Int = #line) {
        self.code = code
        self.reason = reason
        self.file = file
        self.line = line
    }

    /// The code followed by the reason.
    public var description: String {
        "HTTPClientError.\(code): \(reason)"
    }

    /// Compares codes only.
    public static func == (lhs: HTTPClientError, rhs: HTTPClientError) -> Bool {
        lhs.code == rhs.code
    }
}
