/// Header fields with case-insensitive lookup, in the order they arrived.
public struct HTTPHeaders: Sendable, Sequence {
    private var fields: [(name: String, value: String)]

    public init(_ fields: [(name: String, value: String)] = []) {
        self.fields = fields
    }

    /// The first value of the field called `name`, compared case-insensitively.
    public subscript(name: String) -> String? {
        let lowered = name.lowercased()
        return fields.first { $0.name.lowercased() == lowered }?.value
    }

    /// Appends a field; existing fields of the same name stay.
    public mutating func add(_ name: String, _ value: String) {
        fields.append((name, value))
    }

    /// Replaces every field called `name` with one field.
    public mutating func set(_ name: String, _ value: String) {
        let lowered = name.lowercased()
        fields.removeAll { $0.name.lowercased() == lowered }
        fields.append((name, value))
    }

    public func makeIterator() -> IndexingIterator<[(name: String, value: String)]> {
        fields.makeIterator()
    }
}

/// What has arrived of a request before its body: enough to route it and to refuse it early.
public struct HTTPRequestHead: Sendable {
    /// The method in upper case, such as `GET`.
    public var method: String
    /// The path exactly as sent, still percent-encoded, without the query string.
    public var path: String
    /// The query string's fields, percent-decoded (`+` read as a space), in order.
    public var query: [(name: String, value: String)]
    /// The request's header fields.
    public var headers: HTTPHeaders
    /// The peer's address, such as `127.0.0.1`.
    public var remoteAddress: String

    public init(
        method: String, path: String, query: [(name: String, value: String)] = [], headers: HTTPHeaders = HTTPHeaders(),
        remoteAddress: String = ""
    ) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.remoteAddress = remoteAddress
    }

    /// The first query value called `name`.
    public func queryValue(_ name: String) -> String? {
        query.first { $0.name == name }?.value
    }

    /// The declared body length from `Content-Length`, when present and valid.
    public var contentLength: UInt64? {
        headers["Content-Length"].flatMap { UInt64($0) }
    }
}

/// A request whose body has been collected in memory.
public struct HTTPRequest: Sendable {
    public var head: HTTPRequestHead
    public var body: [UInt8]

    public init(head: HTTPRequestHead, body: [UInt8] = []) {
        self.head = head
        self.body = body
    }
}
