import Foundation
import HTTPClient
import Testing

@Suite("HTTPClient errors")
struct HTTPClientErrorTests {
    @Test func closedPortGivesConnectionRefusedWithAReadableReason() throws {
        let server = try HTTPClientTestServer()
        let request = HTTPClientRequest(method: "GET", url: "http://127.0.0.1:\(server.closedPort)/v1/health")

        let error = #expect(throws: HTTPClientError.self) {
            try HTTPClient().send(request)
        }

        #expect(error?.code == .connectionRefused)
        #expect(error?.reason == "cannot connect to 127.0.0.1:\(server.closedPort): connection refused")
    }

    @Test func slowServerGivesTimedOut() throws {
        let server = try HTTPClientTestServer()
        var request = HTTPClientRequest(method: "GET", url: server.baseURL + "/slow?seconds=5")
        request.timeoutSeconds = 0.5

        let error = #expect(throws: HTTPClientError.self) {
            try HTTPClient().send(request)
        }

        #expect(error?.code == .timedOut)
        #expect(error?.reason.contains("127.0.0.1:\(server.port)") == true)
    }

    @Test func plainHTTPServerGivesTLSErrorOverHTTPS() throws {
        let server = try HTTPClientTestServer()
        var request = HTTPClientRequest(method: "GET", url: "https://127.0.0.1:\(server.port)/echo")
        request.timeoutSeconds = 10

        let error = #expect(throws: HTTPClientError.self) {
            try HTTPClient().send(request)
        }

        #expect(error?.code == .tls)
        #expect(error?.reason.isEmpty == false)
    }

    @Test(arguments: ["ftp://127.0.0.1/file", "file:///etc/passwd", "not a url", "http://"])
    func unusableURLGivesInvalidURL(url: String) {
        let error = #expect(throws: HTTPClientError.self) {
            try HTTPClient().send(HTTPClientRequest(method: "GET", url: url))
        }

        #expect(error?.code == .invalidURL)
    }

    @Test func unknownHostGivesCannotResolve() {
        var request = HTTPClientRequest(method: "GET", url: "http://no-such-host.invalid/")
        request.timeoutSeconds = 20

        let error = #expect(throws: HTTPClientError.self) {
            try HTTPClient().send(request)
        }

        #expect(error?.code == .cannotResolve)
        #expect(error?.reason == "cannot resolve host no-such-host.invalid")
    }

    @Test func missingBodyFileGivesIOError() {
        let path = "/nonexistent-\(UUID().uuidString).bin"
        let request = HTTPClientRequest(method: "PUT", url: "http://127.0.0.1:1/", body: .file(path: path))

        let error = #expect(throws: HTTPClientError.self) {
            try HTTPClient().send(request)
        }

        #expect(error?.code == .io)
        #expect(error?.reason.contains(path) == true)
    }

    @Test func reasonsNeverContainHeaderValues() throws {
        let server = try HTTPClientTestServer()
        let token = "s.SECRET-TOKEN-VALUE"
        let refused = HTTPClientRequest(
            method: "GET",
            url: "http://127.0.0.1:\(server.closedPort)/",
            headers: [("Authorization", "Bearer \(token)")]
        )
        let injected = HTTPClientRequest(
            method: "GET",
            url: server.baseURL + "/echo",
            headers: [("Authorization", "Bearer \(token)\r\nX-Evil: 1")]
        )

        let refusedError = #expect(throws: HTTPClientError.self) { try HTTPClient().send(refused) }
        let injectedError = #expect(throws: HTTPClientError.self) { try HTTPClient().send(injected) }

        #expect(refusedError?.code == .connectionRefused)
        #expect(injectedError?.code == .invalidRequest)
        for error in [refusedError, injectedError] {
            #expect(error?.description.contains(token) == false)
        }
    }

    @Test func errorsCompareByCodeOnly() {
        #expect(HTTPClientError(.io, "one") == HTTPClientError(.io, "two"))
        #expect(HTTPClientError(.io, "same") != HTTPClientError(.tls, "same"))
    }
}
