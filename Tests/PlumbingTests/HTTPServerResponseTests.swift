import Foundation
import HTTPServer
import Testing

@Suite("HTTPServer responses")
struct HTTPServerResponseTests {
    @Test func fileResponseSendsTheRequestedRegion() throws {
        let directory = try HTTPServerFixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let content = HTTPServerFixture.patternBytes(count: 100_000)
        let file = directory.appendingPathComponent("blob")
        try Data(content).write(to: file)

        let responder = HTTPServerFixture.Responder { _ in
            let descriptor = open(file.path, O_RDONLY)
            guard descriptor >= 0 else { return .respond(HTTPResponse(status: 500)) }
            return .respond(HTTPResponse(status: 200, body: .file(descriptor: descriptor, offset: 1000, length: 5000)))
        }

        try HTTPServerFixture.withServer(responder: responder) { _, base in
            let result = try HTTPServerFixture.curl([base + "/v1/blobs/sha256:abc"])
            #expect(result.status == 200)
            #expect(result.headers["content-length"] == "5000")
            #expect(Array(result.body) == Array(content[1000..<6000]))
        }
    }

    @Test func headOnlyAnnouncesTheLengthAndSendsNoBody() throws {
        let responder = HTTPServerFixture.Responder { head in
            var headers = HTTPHeaders()
            headers.add("ETag", "\"sha256:abc\"")
            return .respond(HTTPResponse(status: 200, headers: headers, body: .headOnly(length: 12345)))
        }

        try HTTPServerFixture.withServer(responder: responder) { server, _ in
            let request = "HEAD /v1/blobs/sha256:abc HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
            let response = String(
                decoding: try HTTPServerFixture.rawExchange(port: server.port, request: request), as: UTF8.self)
            let lines = response.components(separatedBy: "\r\n")
            #expect(lines.first == "HTTP/1.1 200 OK")
            #expect(lines.contains { $0.lowercased() == "content-length: 12345" })
            #expect(lines.contains("ETag: \"sha256:abc\""))
            // Nothing may follow the blank line that ends the head.
            #expect(response.hasSuffix("\r\n\r\n"))
        }
    }

    @Test func laterReplyLeavesTheWorkerFreeForOtherRequests() throws {
        let slowStarted = DispatchSemaphore(value: 0)
        let fastServed = DispatchSemaphore(value: 0)
        let responder = HTTPServerFixture.Responder { head in
            if head.path == "/fast" {
                fastServed.signal()
                return .respond(.json(200, Data(#"{"reply":"fast"}"#.utf8)))
            }
            return .collect(limit: 0) { _ in
                .later { complete in
                    slowStarted.signal()
                    DispatchQueue.global().async {
                        // The fast request must be answered while this one is suspended.
                        let servedMeanwhile = HTTPServerFixture.wait(fastServed, seconds: 20)
                        Thread.sleep(forTimeInterval: 0.2)
                        complete(.json(servedMeanwhile ? 200 : 500, Data(#"{"reply":"slow"}"#.utf8)))
                        complete(.json(409, Data(#"{"reply":"second"}"#.utf8)))
                    }
                }
            }
        }
        let configuration = HTTPServerConfiguration(host: "127.0.0.1", port: 0, workerThreads: 1)

        try HTTPServerFixture.withServer(configuration, responder: responder) { _, base in
            let slow = try HTTPServerFixture.CurlProcess([base + "/slow"])
            #expect(HTTPServerFixture.wait(slowStarted, seconds: 20))
            let fast = try HTTPServerFixture.curl([base + "/fast"])
            #expect(fast.status == 200)

            let slowResult = try slow.result()
            #expect(slowResult.status == 200)
            #expect(String(decoding: slowResult.body, as: UTF8.self) == #"{"reply":"slow"}"#)
        }
    }

    @Test func stopAnswersPendingLaterRepliesAndReturns() throws {
        let started = DispatchSemaphore(value: 0)
        let stashed = HTTPServerFixture.Shared<(@Sendable (HTTPResponse) -> Void)?>(nil)
        let responder = HTTPServerFixture.Responder { _ in
            .collect(limit: 0) { _ in
                .later { complete in
                    stashed.update { $0 = complete }
                    started.signal()
                }
            }
        }

        let server = try HTTPServer(
            configuration: HTTPServerConfiguration(host: "127.0.0.1", port: 0, workerThreads: 2),
            responder: responder, logger: .init(label: "http", sink: .memory()))
        try server.start()
        let pending = try HTTPServerFixture.CurlProcess(["http://127.0.0.1:\(server.port)/v1/jobs?wait=30"])
        #expect(HTTPServerFixture.wait(started, seconds: 20))

        let stopped = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            server.stop(graceSeconds: 5)
            stopped.signal()
        }
        #expect(HTTPServerFixture.wait(stopped, seconds: 60))

        let result = try pending.result()
        #expect(result.status == 503)
        #expect(result.errorCode == "unavailable")
        // A completion after the stop is ignored.
        stashed.value?(.json(200, Data("{}".utf8)))
        server.stop()
    }

    @Test func tlsServesWithASelfSignedCertificate() throws {
        let directory = try HTTPServerFixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let certificate = directory.appendingPathComponent("cert.pem")
        let key = directory.appendingPathComponent("key.pem")
        let openssl = Process()
        openssl.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        openssl.arguments = [
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key.path, "-out", certificate.path,
            "-days", "1", "-subj", "/CN=localhost",
        ]
        openssl.standardError = FileHandle.nullDevice
        try openssl.run()
        openssl.waitUntilExit()
        try #require(openssl.terminationStatus == 0)

        let configuration = HTTPServerConfiguration(
            host: "127.0.0.1", port: 0, workerThreads: 2,
            tlsCertificatePEM: try String(contentsOf: certificate, encoding: .utf8),
            tlsKeyPEM: try String(contentsOf: key, encoding: .utf8))
        let responder = HTTPServerFixture.Responder { _ in .respond(.json(200, Data(#"{"tls":true}"#.utf8))) }

        try HTTPServerFixture.withServer(configuration, responder: responder) { _, base in
            #expect(base.hasPrefix("https://"))
            let result = try HTTPServerFixture.curl(["--insecure", base + "/v1/health"])
            #expect(result.status == 200)
            #expect(String(decoding: result.body, as: UTF8.self) == #"{"tls":true}"#)
        }
    }
}
