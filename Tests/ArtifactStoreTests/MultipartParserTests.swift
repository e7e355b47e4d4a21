import HTTPServer
import Testing

/// One part as the parser reported it.
struct ParsedPart: Equatable {
    var name: String
    var filename: String?
    var content: [UInt8]
}

/// Feeds `body` to a parser in the given pieces and collects the parts.
func parseParts(_ body: [UInt8], boundary: String, splits: [Int], maxHeaderBytes: Int = 16 * 1024) throws
    -> [ParsedPart]
{
    var parser = MultipartParser(boundary: boundary, maxHeaderBytes: maxHeaderBytes)
    var parts: [ParsedPart] = []
    var isOpen = false
    var start = 0
    for end in splits + [body.count] where end >= start {
        try body[start..<end].withUnsafeBytes { chunk in
            try parser.parse(chunk) { event in
                switch event {
                case .partBegin(let head):
                    #expect(!isOpen, "a part began inside another")
                    parts.append(ParsedPart(name: head.name, filename: head.filename, content: []))
                    isOpen = true
                case .partData(let bytes):
                    #expect(isOpen, "data arrived outside a part")
                    parts[parts.count - 1].content.append(contentsOf: bytes)
                case .partEnd:
                    #expect(isOpen, "a part ended that had not begun")
                    isOpen = false
                }
            }
        }
        start = end
    }
    try parser.finish()
    return parts
}

/// Builds a multipart body from (headers, content) pairs.
func multipartBody(_ boundary: String, _ parts: [(String, [UInt8])], preamble: String = "", epilogue: String = "")
    -> [UInt8]
{
    var body = Array(preamble.utf8)
    for (headers, content) in parts {
        body += Array("--\(boundary)\r\n\(headers)\r\n\r\n".utf8) + content + Array("\r\n".utf8)
    }
    body += Array("--\(boundary)--\r\n\(epilogue)".utf8)
    return body
}

@Suite struct MultipartParserTests {
    static let boundary = "----vaultctl-test-boundary-7MA4YWxkTrZu0gW"

    /// Content that tries every trick: CRLF, `--`, the boundary text with and without its CRLF,
    /// a lone CR at the end.
    static var trickyContent: [UInt8] {
        Array("line one\r\n--\r\n--\(boundary)X\r\n\r\n--\(boundary) trailing\r\n-\(boundary)\r\n".utf8)
            + Array("\r\n--\(boundary.prefix(10))\r".utf8)
    }

    static var sampleParts: [(String, [UInt8])] {
        [
            (#"Content-Disposition: form-data; name="name""#, Array("release".utf8)),
            (#"Content-Disposition: form-data; name="file"; filename="tricky.bin""#, trickyContent),
            (#"Content-Disposition: form-data; name="file"; filename="empty.bin""#, []),
            (#"Content-Disposition: form-data; name="file"; filename="crlf.txt""#, Array("ends in CRLF\r\n".utf8)),
        ]
    }

    static var expected: [ParsedPart] {
        [
            ParsedPart(name: "name", filename: nil, content: Array("release".utf8)),
            ParsedPart(name: "file", filename: "tricky.bin", content: trickyContent),
            ParsedPart(name: "file", filename: "empty.bin", content: []),
            ParsedPart(name: "file", filename: "crlf.txt", content: Array("ends in CRLF\r\n".utf8)),
        ]
    }

    @Test func everySplitPositionYieldsTheSameParts() throws {
        let body = multipartBody(Self.boundary, Self.sampleParts, preamble: "ignored preamble\r\n", epilogue: "ignored")
        for split in 0...body.count {
            let parts = try parseParts(body, boundary: Self.boundary, splits: [split])
            #expect(parts == Self.expected, "split at \(split)")
        }
    }

    @Test func everyPairOfSplitsAroundTheTrickyContentYieldsTheSameParts() throws {
        let body = multipartBody(Self.boundary, Self.sampleParts)
        // Two cuts close together put a boundary line in three pieces.
        for first in stride(from: 0, to: body.count, by: 3) {
            for second in first..<min(body.count, first + 90) {
                let parts = try parseParts(body, boundary: Self.boundary, splits: [first, second])
                #expect(parts == Self.expected, "splits at \(first) and \(second)")
            }
        }
    }

    @Test func oneByteAtATimeYieldsTheSameParts() throws {
        let body = multipartBody(Self.boundary, Self.sampleParts)
        let parts = try parseParts(body, boundary: Self.boundary, splits: Array(0..<body.count))
        #expect(parts == Self.expected)
    }

    @Test func quotedEscapedAndExtendedFilenamesAreDecoded() throws {
        let parts: [(String, [UInt8])] = [
            (#"Content-Disposition: form-data; name="file"; filename="say \"hi\" %22now%22.txt""#, [1]),
            ("Content-Disposition: form-data; name=\"file\"; filename=\"résumé ünïcode.pdf\"", [2]),
            (
                #"Content-Disposition: form-data; name="file"; filename="fallback.txt"; filename*=UTF-8''%E2%82%AC%20rates.txt"#,
                [3]
            ),
            ("content-disposition: FORM-DATA; name=plain; filename=bare.bin\r\nContent-Type: text/plain", [4]),
        ]
        let body = multipartBody("b", parts)
        let parsed = try parseParts(body, boundary: "b", splits: [])
        #expect(parsed.map(\.filename) == [#"say "hi" "now".txt"#, "résumé ünïcode.pdf", "€ rates.txt", "bare.bin"])
        #expect(parsed.map(\.name) == ["file", "file", "file", "plain"])
    }

    @Test func transportPaddingAfterABoundaryIsAllowed() throws {
        let body =
            Array("--b  \t\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx\r\n--b \r\n".utf8)
            + Array("Content-Disposition: form-data; name=\"c\"\r\n\r\ny\r\n--b--".utf8)
        let parsed = try parseParts(body, boundary: "b", splits: [4])
        #expect(parsed == [ParsedPart(name: "a", content: [0x78]), ParsedPart(name: "c", content: [0x79])])
    }

    @Test func headersLargerThanTheLimitAreRefused() throws {
        let long = String(repeating: "x", count: 2000)
        let body = multipartBody("b", [("Content-Disposition: form-data; name=\"a\"\r\nX-Long: \(long)", [1])])
        #expect(throws: MultipartError(.headersTooLarge, "")) {
            try parseParts(body, boundary: "b", splits: [], maxHeaderBytes: 1024)
        }
    }

    @Test func truncatedBodiesAndMissingBoundariesAreRefused() throws {
        let body = multipartBody("b", [("Content-Disposition: form-data; name=\"a\"", [1, 2, 3])])
        #expect(throws: MultipartError(.truncated, "")) {
            try parseParts(Array(body.dropLast(8)), boundary: "b", splits: [])
        }
        #expect(throws: MultipartError(.noParts, "")) {
            try parseParts(Array("no boundary here".utf8), boundary: "b", splits: [])
        }
        let noDisposition = multipartBody("b", [("Content-Type: text/plain", [1])])
        #expect(throws: MultipartError(.missingDisposition, "")) {
            try parseParts(noDisposition, boundary: "b", splits: [])
        }
    }

    @Test func boundaryComesFromAFormDataContentType() throws {
        #expect(try MultipartParser.boundary(fromContentType: "multipart/form-data; boundary=abc") == "abc")
        #expect(
            try MultipartParser.boundary(fromContentType: #"Multipart/Form-Data; charset=utf-8; boundary="a b:c""#)
                == "a b:c")
        for refused in [
            nil, "application/json", "multipart/form-data", "multipart/mixed; boundary=abc",
            "multipart/form-data; boundary=" + String(repeating: "a", count: 71),
            #"multipart/form-data; boundary="a@b""#,
            "multipart/form-data; boundary=one; boundary=two",
        ] {
            #expect(throws: MultipartError(.invalidContentType, ""), "\(refused ?? "nil")") {
                try MultipartParser.boundary(fromContentType: refused)
            }
        }
    }
}
