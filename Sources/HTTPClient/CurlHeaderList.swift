import CCurl

/// Owns a `curl_slist` of raw header lines and frees it on release.
final class CurlHeaderList {
    private(set) var list: UnsafeMutablePointer<curl_slist>?

    init() {}

    deinit {
        curl_slist_free_all(list)
    }

    /// Appends one `Name: value` line; an empty value is sent as `Name;` so curl keeps the header.
    func append(name: String, value: String) throws(HTTPClientError) {
        guard Self.isToken(name) else {
            throw HTTPClientError(.invalidRequest, "header name '\(name)' is not a valid token")
        }
        // Checked on bytes: "\r\n" is one Character and would slip past a Character test.
        guard !value.utf8.contains(where: { $0 == 0x0D || $0 == 0x0A || $0 == 0x00 }) else {
            throw HTTPClientError(.invalidRequest, "value of header \(name) contains a line break")
        }
        let line = value.isEmpty ? "\(name);" : "\(name): \(value)"
        try appendLine(line)
    }

    /// Appends a line curl reads as an instruction, such as `Expect:` (removes that header).
    func appendLine(_ line: String) throws(HTTPClientError) {
        guard let grown = curl_slist_append(list, line) else {
            throw HTTPClientError(.transport, "out of memory building the header list")
        }
        list = grown
    }

    /// Whether `text` is an RFC 9110 token, as header names and methods must be.
    static func isToken(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.allSatisfy(isTokenByte)
    }

    private static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        default:
            return "!#$%&'*+-.^_`|~".utf8.contains(byte)
        }
    }
}
