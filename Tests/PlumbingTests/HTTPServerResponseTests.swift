import Foundation
import HTTPServer
import Testing

@Suite("HTTPServer responses")
struct HTTPServerResponseTests {
    @Test func fileResponseSendsTheRequestedRegion() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let content = patternBytes(count: 100_000)
        let file = directory.appendingPathComponent("blob")
        try Data(content).write(to: file)

        let responder = ClosureResponder { _ in
            let descriptor = open(file.path, O_RDONLY)
            guard descriptor >= 0 else { return .respond(HTTPResponse(status: 500)) }
            return .respond(HTTPResponse(status: 200, body: .file(descriptor: descriptor, offset: 1000, length: 5000)))
        }

        try withServer(responder: responder) { _, base in
            let result = try curl([base + "/v1/blobs/sha256:abc"])
            #expect(result.status == 200)
            #expect(result.headers["content-length"] == "5000")
            #expect(Array(result.body) == Array(content[1000..<6000]))
        }
    }

    @Test func headOnlyAnnouncesTheLengthAndSendsNoBody() throws {
        let responder = ClosureResponder { head in
            var headers = HTTPHeaders()
            headers.add("ETag", "\"sha256:abc\"")
            return .respond(HTTPResponse(status: 200, headers: headers, body: .headOnly(length: 12345)))
        }

        try withServer(responder: responder) { _, base in
            let result = try curl(["--head", base + "/v1/blobs/sha256:abc"])
            #expect(result.status == 200)
            #expect(result.headers["content-length"] == "12345")
            #expect(result.headers["etag"] == "\"sha256:abc\"")
            #expect(result.body.isEmpty)
        }
    }

    @Test func laterReplyLeavesTheWorkerFreeForOtherRequests() throws {
        let slowStarted = DispatchSemaphore(value: 0)
        let fastServed = DispatchSemaphore(value: 0)
        let responder = ClosureResponder { head in
            if head.path == "/fast" {
                fastServed.signal()
                return .respond(.json(200, Data(#"{"reply":"fast"}"#.utf8)))
            }
            return .collect(limit: 0) { _ in
                .later { complete in
                    slowStarted.signal()
                    DispatchQueue.global().async {
                        // The fast request must be answered while this one is suspended.
                        let servedMeanwhile = fastServed.wait(seconds: 20)
                        Thread.sleep(forTimeInterval: 0.2)
                        complete(.json(servedMeanwhile ? 200 : 500, Data(#"{"reply":"slow"}"#.utf8)))
                        complete(.json(409, Data(#"{"reply":"second"}"#.utf8)))
                    }
                }
            }
        }
        let configuration = HTTPServerConfiguration(host: "127.0.0.1", port: 0, workerThreads: 1)

        try withServer(configuration, responder: responder) { _, base in
            let slow = try CurlProcess([base + "/slow"])
            #expect(slowStarted.wait(seconds: 20))
            let fast = try curl([base + "/fast"])
            #expect(fast.status == 200)

            let slowResult = try slow.result()
            #expect(slowResult.status == 200)
            #expect(String(decoding: slowResult.body, as: UTF8.self) == #"{"reply":"slow"}"#)
        }
    }

    @Test func stopAnswersPendingLaterRepliesAndReturns() throws {
        let started = DispatchSemaphore(value: 0)
        let stashed = Shared<(@Sendable (HTTPResponse) -> Void)?>(nil)
        let responder = ClosureResponder { _ in
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
        let pending = try CurlProcess(["http://127.0.0.1:\(server.port)/v1/jobs?wait=30"])
        #expect(started.wait(seconds: 20))

        let stopped = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            server.stop(graceSeconds: 5)
            stopped.signal()
        }
        #expect(stopped.wait(seconds: 60))

        let result = try pending.result()
        #expect(result.status == 503)
        #expect(result.errorCode == "unavailable")
        // A completion after the stop is ignored.
        stashed.value?(.json(200, Data("{}".utf8)))
        server.stop()
    }

    @Test func tlsServesWithASelfSignedCertificate() throws {
        let directory = try temporaryDirectory()
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
        let responder = ClosureResponder { _ in .respond(.json(200, Data(#"{"tls":true}"#.utf8))) }

        try withServer(configuration, responder: responder) { _, base in
            #expect(base.hasPrefix("https://"))
            let result = try curl(["--insecure", base + "/v1/health"])
            #expect(result.status == 200)
            #expect(String(decoding: result.body, as: UTF8.self) == #"{"tls":true}"#)
        }
    }
}
