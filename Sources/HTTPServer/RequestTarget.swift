/// The request target of a request line, split into the raw path and the decoded query.
///
/// The path stays exactly as sent (still percent-encoded); the query's names and values are
/// percent-decoded with `+` read as a space. Anything that does not decode to UTF-8 is refused.
struct RequestTarget: Equatable {
    /// Why a request target was refused; the text is safe to send back to the client.
    struct Invalid: Error, Equatable {
        let message: String
    }

    let path: String
    let query: [Field]

    struct Field: Equatable {
        let name: String
        let value: String
    }

    /// Parses the bytes of a request target such as `/v1/secrets/a%2Fb?version=2`.
    init(_ raw: some Collection<UInt8>) throws(Invalid) {
        let questionMark = UInt8(ascii: "?")
        let pathBytes = raw.prefix { $0 != questionMark }
        guard let path = String(validating: pathBytes, as: UTF8.self) else {
            throw Invalid(message: "The request path is not valid UTF-8.")
        }
        self.path = path

        let queryBytes = raw.dropFirst(pathBytes.count).dropFirst()
        self.query = try RequestTarget.fields(of: Array(queryBytes))
    }

    private static func fields(of query: [UInt8]) throws(Invalid) -> [Field] {
        var fields: [Field] = []
        for pair in query.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
            let equals = pair.firstIndex(of: UInt8(ascii: "=")) ?? pair.endIndex
            let name = try decode(pair[pair.startIndex..<equals])
            let value = try decode(pair[equals...].dropFirst())
            fields.append(Field(name: name, value: value))
        }
        return fields
    }

    /// Percent-decodes one query component, reading `+` as a space.
    static func decode(_ component: ArraySlice<UInt8>) throws(Invalid) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(component.count)
        var index = component.startIndex
        while index < component.endIndex {
            let byte = component[index]
            if byte == UInt8(ascii: "%") {
                guard component.endIndex - index >= 3 else {
                    throw Invalid(message: "The query has an incomplete percent-encoding.")
                }
                guard let high = hexValue(component[index + 1]), let low = hexValue(component[index + 2]) else {
                    throw Invalid(message: "The query has an invalid percent-encoding.")
                }
                bytes.append(high << 4 | low)
                index += 3
            } else {
                bytes.append(byte == UInt8(ascii: "+") ? UInt8(ascii: " ") : byte)
                index += 1
            }
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw Invalid(message: "The query does not decode to UTF-8.")
        }
        return text
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
