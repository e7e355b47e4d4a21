/// One HTTP request for ``HTTPClient``.
public struct HTTPClientRequest: Sendable {
    /// What is sent after the headers.
    public enum Body: Sendable {
        /// No body. `POST`, `PUT` and `PATCH` still send `Content-Length: 0`.
        case none
        /// A body held in memory.
        case bytes([UInt8])
        /// A body streamed from a regular file; its size becomes the `Content-Length`.
        case file(path: String)
    }

    /// The method, such as `GET` or `PUT`.
    public var method: String
    /// An absolute `http` or `https` URL.
    public var url: String
    /// Request headers in order; names are sent as given.
    public var headers: [(String, String)]
    /// The body to send.
    public var body: Body
    /// The limit for the whole transfer, in seconds; `nil` means none (long polls pass their own).
    public var timeoutSeconds: Double?
    /// The limit for establishing the connection, TLS included, in seconds.
    public var connectTimeoutSeconds: Double = 10

    /// Creates a request without a total timeout.
    public init(method: String, url: String, headers: [(String, String)] = [], body: Body = .none) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeoutSeconds = nil
    }
}
