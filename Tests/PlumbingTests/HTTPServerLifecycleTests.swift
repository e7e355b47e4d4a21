import Foundation
import HTTPServer
import Logging
import Testing

@Suite("HTTPServer lifecycle")
struct HTTPServerLifecycleTests {
    private let responder = HTTPServerFixture.Responder { _ in .respond(HTTPResponse(status: 204)) }
    private let logger = Logger(label: "http", sink: .memory())

    @Test func portZeroBindsAFreePortAndStopIsIdempotent() throws {
        let server = try HTTPServer(
            configuration: HTTPServerConfiguration(host: "127.0.0.1", port: 0, workerThreads: 1),
            responder: responder, logger: logger)
        #expect(server.port == 0)
        try server.start()
        #expect(server.port != 0)

        let result = try HTTPServerFixture.curl(["http://127.0.0.1:\(server.port)/"])
        #expect(result.status == 204)

        #expect(throws: HTTPServerError(.alreadyStarted, reason: "")) { try server.start() }
        server.stop(graceSeconds: 1)
        server.stop(graceSeconds: 1)
        let afterStop = try HTTPServerFixture.curl(["http://127.0.0.1:\(server.port)/"])
        #expect(afterStop.status == 0)
    }

    @Test func certificateWithoutKeyIsRefused() {
        let configuration = HTTPServerConfiguration(host: "127.0.0.1", port: 0, tlsCertificatePEM: "PEM")
        #expect(throws: HTTPServerError(.invalidConfiguration, reason: "")) {
            try HTTPServer(configuration: configuration, responder: responder, logger: logger)
        }
    }

    @Test func hostNameThatIsNotAnAddressIsRefused() {
        let configuration = HTTPServerConfiguration(host: "example.invalid", port: 0)
        #expect(throws: HTTPServerError(.invalidConfiguration, reason: "")) {
            try HTTPServer(configuration: configuration, responder: responder, logger: logger)
        }
    }

    @Test func occupiedPortFailsToStart() throws {
        let first = try HTTPServer(
            configuration: HTTPServerConfiguration(host: "127.0.0.1", port: 0, workerThreads: 1),
            responder: responder, logger: logger)
        try first.start()
        defer { first.stop(graceSeconds: 0) }

        let second = try HTTPServer(
            configuration: HTTPServerConfiguration(host: "127.0.0.1", port: first.port, workerThreads: 1),
            responder: responder, logger: logger)
        #expect(throws: HTTPServerError(.startFailed, reason: "")) { try second.start() }
    }
}
