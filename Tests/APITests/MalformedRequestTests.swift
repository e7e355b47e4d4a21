import Foundation
import Testing

@testable import API

/// Hostile and broken requests: each gets a 4xx JSON error, none a 5xx, and nothing changes.
@Suite struct MalformedRequestTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let method: String
        let path: String
        var body: String?
        var authenticated = true
        var headers: [String] = []
        var extra: [String] = []
        var expectedStatus: Int

        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "body is not JSON", method: "PUT", path: "/v1/secrets/app/x", body: "{nope", expectedStatus: 400),
        Case(name: "body is a JSON array", method: "PUT", path: "/v1/secrets/app/x", body: "[1]", expectedStatus: 400),
        Case(
            name: "body is a JSON string", method: "PUT", path: "/v1/secrets/app/x", body: #""v""#, expectedStatus: 400),
        Case(
            name: "value is a number", method: "PUT", path: "/v1/secrets/app/x", body: #"{"value": 5}"#,
            expectedStatus: 400),
        Case(
            name: "value is null", method: "PUT", path: "/v1/secrets/app/x", body: #"{"value": null}"#,
            expectedStatus: 400),
        Case(name: "value is missing", method: "PUT", path: "/v1/secrets/app/x", body: "{}", expectedStatus: 400),
        Case(
            name: "unknown field", method: "PUT", path: "/v1/secrets/app/x", body: #"{"value": "a", "ttl": 1}"#,
            expectedStatus: 400),
        Case(
            name: "cas is a string", method: "PUT", path: "/v1/secrets/app/x", body: #"{"value": "a", "cas": "1"}"#,
            expectedStatus: 400),
        Case(
            name: "cas is negative", method: "PUT", path: "/v1/secrets/app/x", body: #"{"value": "a", "cas": -1}"#,
            expectedStatus: 400),
        Case(
            name: "cas is fractional", method: "PUT", path: "/v1/secrets/app/x", body: #"{"value": "a", "cas": 1.5}"#,
            expectedStatus: 400),
        Case(
            name: "cas is a Boolean", method: "PUT", path: "/v1/secrets/app/x", body: #"{"value": "a", "cas": true}"#,
            expectedStatus: 400),
        Case(name: "traversal segment", method: "GET", path: "/v1/secrets/app/../x", expectedStatus: 400),
        Case(name: "encoded traversal", method: "GET", path: "/v1/secrets/app/%2e%2e/x", expectedStatus: 400),
        Case(name: "encoded slash traversal", method: "GET", path: "/v1/secrets/app%2F..%2Fx", expectedStatus: 400),
        Case(
            name: "dot segment", method: "PUT", path: "/v1/secrets/./x", body: #"{"value": "a"}"#, expectedStatus: 400),
        Case(name: "empty segment", method: "GET", path: "/v1/secrets/app//x", expectedStatus: 400),
        Case(
            name: "forbidden character", method: "PUT", path: "/v1/secrets/app/x%20y", body: #"{"value": "a"}"#,
            expectedStatus: 400),
        Case(
            name: "path too long", method: "GET", path: "/v1/secrets/" + String(repeating: "a", count: 300),
            expectedStatus: 400),
        Case(name: "invalid percent-encoding", method: "GET", path: "/v1/secrets/app/%zz", expectedStatus: 400),
        Case(name: "truncated percent-encoding", method: "GET", path: "/v1/secrets/app/x%4", expectedStatus: 400),
        Case(name: "percent-encoded NUL", method: "GET", path: "/v1/secrets/app/x%00", expectedStatus: 400),
        Case(name: "invalid UTF-8 escape", method: "GET", path: "/v1/secrets/app/%c3%28", expectedStatus: 400),
        Case(name: "invalid query encoding", method: "GET", path: "/v1/secrets?prefix=%zz", expectedStatus: 400),
        Case(
            name: "version is not a number", method: "GET", path: "/v1/secrets/app/x?version=abc", expectedStatus: 400),
        Case(name: "version is zero", method: "GET", path: "/v1/secrets/app/x?version=0", expectedStatus: 400),
        Case(name: "unknown query parameter", method: "GET", path: "/v1/secrets/app/x?verison=1", expectedStatus: 400),
        Case(
            name: "missing token", method: "GET", path: "/v1/secrets/app/x", authenticated: false, expectedStatus: 401),
        Case(
            name: "wrong token", method: "GET", path: "/v1/secrets/app/x", authenticated: false,
            headers: ["Authorization: Bearer vlt.wrong-token-wrong-token"], expectedStatus: 401),
        Case(
            name: "not a bearer token", method: "GET", path: "/v1/secrets/app/x", authenticated: false,
            headers: ["Authorization: Basic dXNlcjpwYXNz"], expectedStatus: 401),
        Case(name: "unknown route", method: "GET", path: "/v1/nothing-here", expectedStatus: 404),
        Case(name: "unknown version prefix", method: "GET", path: "/v2/secrets/app/x", expectedStatus: 404),
        Case(name: "method not allowed", method: "PATCH", path: "/v1/secrets/app/x", expectedStatus: 405),
        Case(name: "POST on health", method: "POST", path: "/v1/health", expectedStatus: 405),
        Case(
            name: "undelete without version", method: "POST", path: "/v1/secrets/app/x/undelete", body: "{}",
            expectedStatus: 400),
        Case(
            name: "destroy with string version", method: "POST", path: "/v1/secrets/app/x/destroy",
            body: #"{"version": "1"}"#, expectedStatus: 400),
        Case(
            name: "unseal with non-base64 key", method: "POST", path: "/v1/operator/unseal", body: #"{"key": "!!"}"#,
            expectedStatus: 400),
        Case(
            name: "unseal with short key", method: "POST", path: "/v1/operator/unseal", body: #"{"key": "AAAA"}"#,
            expectedStatus: 400),
        Case(name: "init twice", method: "POST", path: "/v1/operator/init", expectedStatus: 409),
        Case(
            name: "oversized body by Content-Length", method: "PUT", path: "/v1/secrets/app/x",
            body: #"{"value": "\#(String(repeating: "v", count: 2_000_000))"}"#, expectedStatus: 413),
        Case(
            name: "value over 64 KiB", method: "PUT", path: "/v1/secrets/app/x",
            body: #"{"value": "\#(String(repeating: "v", count: 65_537))"}"#, expectedStatus: 413),
        Case(
            name: "huge header", method: "GET", path: "/v1/secrets/app/x",
            headers: ["X-Filler: " + String(repeating: "h", count: 100_000)], expectedStatus: 431),
        Case(
            name: "deeply nested JSON", method: "PUT", path: "/v1/secrets/app/x",
            body: String(repeating: "[", count: 10_000), expectedStatus: 400),
    ]

    @Test(arguments: cases)
    func malformedRequestGetsAClientErrorAsJSON(_ testCase: Case) throws {
        let server = try LiveServer()
        let token = testCase.authenticated ? server.rootToken : nil
        let result = try server.curl(
            testCase.method, testCase.path, body: testCase.body, token: token, headers: testCase.headers,
            extra: testCase.extra)
        if testCase.expectedStatus == 431 {
            #expect((400..<500).contains(result.status))
        } else {
            #expect(result.status == testCase.expectedStatus)
        }
        #expect(result.errorCode != nil, "body was: \(result.body.prefix(200))")
        let health = try server.curl("GET", "/v1/health")
        #expect(health.status == 200)
        let listed = try server.curl("GET", "/v1/secrets", token: server.rootToken)
        #expect((listed.json?["secrets"] as? [Any])?.isEmpty == true, "a rejected request changed nothing")
    }

    @Test func rejectedRequestsNeverCauseServerErrorsAndTheServerKeepsServing() throws {
        let server = try LiveServer()
        for testCase in MalformedRequestTests.cases {
            let token = testCase.authenticated ? server.rootToken : nil
            let result = try server.curl(
                testCase.method, testCase.path, body: testCase.body, token: token, headers: testCase.headers)
            #expect((400..<500).contains(result.status), "\(testCase.name) answered \(result.status)")
        }
        let put = try server.curl("PUT", "/v1/secrets/app/ok", body: #"{"value": "fine"}"#, token: server.rootToken)
        #expect(put.status == 200)
    }
}
