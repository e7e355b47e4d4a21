/// The status, headers and body that came back for a request.
public struct HTTPClientResponse: Sendable {
    /// The final status code; interim `1xx` responses are skipped.
    public var status: Int
    /// Response headers in the order received.
    public var headers: [(String, String)]
    /// The body; empty when it was streamed to a file or handed to a callback.
    public var body: [UInt8]

    /// Creates a response.
    public init(status: Int, headers: [(String, String)], body: [UInt8]) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The value of the first header called `name`, compared without regard to case.
    public func header(_ name: String) -> String? {
        let wanted = name.lowercased()
        return headers.first { $0.0.lowercased() == wanted }?.1
    }

    /// Whether the status is in the 2xx range.
    public var isSuccess: Bool {
        (200..<300).contains(status)
    }
}
