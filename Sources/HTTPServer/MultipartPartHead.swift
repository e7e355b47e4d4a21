/// The header block of one part of a `multipart/form-data` body.
public struct MultipartPartHead: Sendable {
    /// The form field's name, from `Content-Disposition: form-data; name="..."`.
    public var name: String
    /// The file name the client announced, if any: `filename*` (RFC 5987) wins over `filename`.
    public var filename: String?
    /// The part's `Content-Type`, if given.
    public var contentType: String?
    /// Every header field of the part, in order.
    public var headers: HTTPHeaders

    public init(name: String, filename: String? = nil, contentType: String? = nil, headers: HTTPHeaders = HTTPHeaders())
    {
        self.name = name
        self.filename = filename
        self.contentType = contentType
        self.headers = headers
    }

    /// Parses a header block without its final empty line: `Name: value` lines joined by CRLF.
    ///
    /// Header text is read as UTF-8, as browsers and curl send file names; bytes that are not
    /// UTF-8 are read as ISO-8859-1, so no byte is ever rejected for its encoding alone.
    init(block: [UInt8]) throws(MultipartError) {
        var headers = HTTPHeaders()
        for line in MultipartPartHead.lines(of: block) where !line.isEmpty {
            guard line[line.startIndex] != UInt8(ascii: " "), line[line.startIndex] != UInt8(ascii: "\t") else {
                throw MultipartError(.malformedHeaders, "folded header lines are not allowed in a part")
            }
            guard let colon = line.firstIndex(of: UInt8(ascii: ":")), colon > line.startIndex else {
                throw MultipartError(.malformedHeaders, "a part header line has no name")
            }
            let name = MultipartPartHead.text(line[..<colon])
            let value = MultipartPartHead.text(line[(colon + 1)...])
            headers.add(name, value.trimmingSpaces())
        }
        guard let disposition = headers["Content-Disposition"] else {
            throw MultipartError(.missingDisposition, "a part has no Content-Disposition header")
        }
        let parsed = MultipartDisposition(disposition)
        guard parsed.type.lowercased() == "form-data", let name = parsed.parameters["name"] else {
            throw MultipartError(.missingDisposition, "a part's Content-Disposition is not form-data with a name")
        }
        self.init(
            name: name,
            filename: parsed.parameters["filename*"].flatMap(MultipartDisposition.extendedValue)
                ?? parsed.parameters["filename"],
            contentType: headers["Content-Type"], headers: headers)
    }

    private static func lines(of block: [UInt8]) -> [ArraySlice<UInt8>] {
        var lines: [ArraySlice<UInt8>] = []
        var start = block.startIndex
        var index = block.startIndex
        while index < block.endIndex {
            if block[index] == UInt8(ascii: "\r"), index + 1 < block.endIndex, block[index + 1] == UInt8(ascii: "\n") {
                lines.append(block[start..<index])
                index += 2
                start = index
            } else {
                index += 1
            }
        }
        lines.append(block[start..<block.endIndex])
        return lines
    }

    static func text(_ bytes: ArraySlice<UInt8>) -> String {
        if let text = String(validating: bytes, as: UTF8.self) {
            return text
        }
        return String(String.UnicodeScalarView(bytes.map { Unicode.Scalar($0) }))
    }
}

extension String {
    fileprivate func trimmingSpaces() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return String(self[first...last])
    }
}
