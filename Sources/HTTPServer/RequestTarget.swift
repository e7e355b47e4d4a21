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
        let bytes: [UInt8]
        do {
            bytes = try PercentEncoding.decode(component, plusAsSpace: true)
        } catch .incomplete {
            throw Invalid(message: "The query has an incomplete percent-encoding.")
        } catch {
            throw Invalid(message: "The query has an invalid percent-encoding.")
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw Invalid(message: "The query does not decode to UTF-8.")
        }
        return text
    }
}
