import Testing

@testable import HTTPServer

@Suite("HTTPServer request targets")
struct HTTPServerRequestTargetTests {
    @Test func pathStaysEncodedAndQueryIsDecoded() throws {
        let target = try RequestTarget(Array("/a%2Fb/%7E?x=1+2&y=%26%3D&&z".utf8))
        #expect(target.path == "/a%2Fb/%7E")
        #expect(
            target.query == [
                RequestTarget.Field(name: "x", value: "1 2"), RequestTarget.Field(name: "y", value: "&="),
                RequestTarget.Field(name: "z", value: ""),
            ])
    }

    @Test func targetWithoutQueryHasNoFields() throws {
        let target = try RequestTarget(Array("/v1/health".utf8))
        #expect(target.path == "/v1/health")
        #expect(target.query.isEmpty)
    }

    @Test(arguments: ["/?a=%", "/?a=%2", "/?a=%g0", "/?a=%80", "/?%FF=1"])
    func malformedQueryIsRefused(raw: String) {
        #expect(throws: RequestTarget.Invalid.self) {
            try RequestTarget(Array(raw.utf8))
        }
    }

    @Test func pathThatIsNotUTF8IsRefused() {
        #expect(throws: RequestTarget.Invalid.self) {
            try RequestTarget([UInt8(ascii: "/"), 0xFF])
        }
    }
}
