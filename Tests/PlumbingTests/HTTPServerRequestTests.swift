import Foundation
import HTTPServer
import Testing

@Suite("HTTPServer requests")
struct HTTPServerRequestTests {
    @Test func getPassesRawPathDecodedQueryHeadersAndPeer() throws {
        let seen = HTTPServerFixture.Shared<HTTPRequestHead?>(nil)
        let responder = HTTPServerFixture.Responder { head in
            seen.update { $0 = head }
            return .respond(.json(200, Data(#"{"ok":true}"#.utf8)))
        }

        try HTTPServerFixture.withServer(responder: responder) { _, base in
            let target = "/v1/secrets/a%2Fb/c%20d?name=hello%20world&plus=a+b&flag&empty=&caf%C3%A9=%E2%9C%93"
            let result = try HTTPServerFixture.curl(["--header", "X-Probe: yes", base + target])
            #expect(result.status == 200)
            #expect(String(decoding: result.body, as: UTF8.self) == #"{"ok":true}"#)
        }

        let head = try #require(seen.value)
        #expect(head.method == "GET")
        #expect(head.path == "/v1/secrets/a%2Fb/c%20d")
        #expect(
            head.query.map { "\($0.name)=\($0.value)" } == [
                "name=hello world", "plus=a b", "flag=", "empty=", "café=✓",
            ])
        #expect(head.headers["x-probe"] == "yes")
        #expect(head.remoteAddress == "127.0.0.1")
    }

    @Test(arguments: ["x=%zz", "x=%4", "x%=1", "x=%ff", "x=%C3"])
    func invalidQueryEncodingAnswers400WithoutRouting(query: String) throws {
        let routed = HTTPServerFixture.Shared(0)
        let responder = HTTPServerFixture.Responder { _ in
            routed.update { $0 += 1 }
            return .respond(HTTPResponse(status: 200))
        }

        try HTTPServerFixture.withServer(responder: responder) { _, base in
            let result = try HTTPServerFixture.curl([base + "/v1/things?" + query])
            #expect(result.status == 400)
            #expect(result.errorCode == "bad_request")
            #expect(result.headers["content-type"] == "application/json")
        }
        #expect(routed.value == 0)
    }

    @Test func postedBodyIsCollectedWhole() throws {
        let directory = try HTTPServerFixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let payload = HTTPServerFixture.patternBytes(count: 300_000)
        let file = directory.appendingPathComponent("payload")
        try Data(payload).write(to: file)

        let responder = HTTPServerFixture.Responder { _ in
            .collect(limit: 1 << 20) { request in
                .now(HTTPResponse(status: 201, body: .bytes(request.body)))
            }
        }

        try HTTPServerFixture.withServer(responder: responder) { _, base in
            let result = try HTTPServerFixture.curl(["--data-binary", "@" + file.path, base + "/upload"])
            #expect(result.status == 201)
            #expect(Array(result.body) == payload)
        }
    }

    @Test func declaredLengthOverLimitAnswers413BeforeTheBody() throws {
        let directory = try HTTPServerFixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("payload")
        try Data(HTTPServerFixture.patternBytes(count: 64 * 1024)).write(to: file)

        let handled = HTTPServerFixture.Shared(false)
        let responder = HTTPServerFixture.Responder { _ in
            .collect(limit: 1024) { _ in
                handled.update { $0 = true }
                return .now(HTTPResponse(status: 200))
            }
        }

        try HTTPServerFixture.withServer(responder: responder) { _, base in
            let arguments = ["--header", "Expect: 100-continue", "--data-binary", "@" + file.path, base + "/upload"]
            let result = try HTTPServerFixture.curl(arguments)
            #expect(result.status == 413)
            #expect(result.errorCode == "payload_too_large")
        }
        #expect(handled.value == false)
    }

    @Test func chunkedBodyGrowingPastLimitAnswers413() throws {
        let directory = try HTTPServerFixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("payload")
        try Data(HTTPServerFixture.patternBytes(count: 1 << 20)).write(to: file)

        let handled = HTTPServerFixture.Shared(false)
        let responder = HTTPServerFixture.Responder { _ in
            .collect(limit: 64 * 1024) { _ in
                handled.update { $0 = true }
                return .now(HTTPResponse(status: 200))
            }
        }

        try HTTPServerFixture.withServer(responder: responder) { _, base in
            let arguments = [
                "--header", "Transfer-Encoding: chunked", "--data-binary", "@" + file.path, base + "/upload",
            ]
            let result = try HTTPServerFixture.curl(arguments)
            #expect(result.status == 413)
            #expect(result.errorCode == "payload_too_large")
        }
        #expect(handled.value == false)
    }

    @Test func headerOverTheLimitAnswers431WithoutRouting() throws {
        let directory = try HTTPServerFixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let headerFile = directory.appendingPathComponent("headers")
        try ("X-Large: " + String(repeating: "a", count: 12 * 1024) + "\n").write(
            to: headerFile, atomically: true, encoding: .utf8)

        let routed = HTTPServerFixture.Shared(0)
        let responder = HTTPServerFixture.Responder { _ in
            routed.update { $0 += 1 }
            return .respond(HTTPResponse(status: 200))
        }
        let configuration = HTTPServerConfiguration(host: "127.0.0.1", port: 0, workerThreads: 1, maxHeaderBytes: 8192)

        try HTTPServerFixture.withServer(configuration, responder: responder) { _, base in
            let result = try HTTPServerFixture.curl(["--header", "@" + headerFile.path, base + "/v1/health"])
            #expect(result.status == 431)
            #expect(result.errorCode == "headers_too_large")
        }
        #expect(routed.value == 0)
    }

    @Test func enormousHeaderIsRefusedWithAClientError() throws {
        let directory = try HTTPServerFixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let headerFile = directory.appendingPathComponent("headers")
        try ("X-Huge: " + String(repeating: "b", count: 150 * 1024) + "\n").write(
            to: headerFile, atomically: true, encoding: .utf8)

        let routed = HTTPServerFixture.Shared(0)
        let responder = HTTPServerFixture.Responder { _ in
            routed.update { $0 += 1 }
            return .respond(HTTPResponse(status: 200))
        }
        let configuration = HTTPServerConfiguration(host: "127.0.0.1", port: 0, workerThreads: 1, maxHeaderBytes: 8192)

        try HTTPServerFixture.withServer(configuration, responder: responder) { _, base in
            let result = try HTTPServerFixture.curl(["--header", "@" + headerFile.path, base + "/v1/health"])
            #expect((400...499).contains(result.status))
        }
        #expect(routed.value == 0)
    }
}
