import Cryptography
import Database
import Foundation
import HTTPServer
import Logging
import TestSupport
import Vault

@testable import API

/// The real HTTP server with an audit log, as `vaultctl server` runs it; the log may live elsewhere.
final class AuditedServer: @unchecked Sendable {
    let directory = TemporaryDirectory()
    let vault: Vault
    let server: HTTPServer
    let rootToken: String
    let audit: AuditLog
    let auditPath: String

    init(auditPath: String? = nil) throws {
        vault = try Vault(database: Database(path: directory.file("vault.db")))
        rootToken = try vault.initialize().rootToken
        self.auditPath = auditPath ?? directory.file("audit.log")
        audit = try AuditLog(
            path: self.auditPath, key: AuditLog.loadOrCreateKey(at: directory.file("audit.key")), syncInterval: nil)
        let logger = Logger(label: "test", level: .error, sink: LogSink.memory())
        let responder = APIResponder(vault: vault, logger: logger, audit: audit)
        var configuration = HTTPServerConfiguration(host: "127.0.0.1", port: 0)
        configuration.workerThreads = 2
        server = try HTTPServer(configuration: configuration, responder: responder, logger: logger)
        try server.start()
    }

    deinit {
        server.stop(graceSeconds: 1)
    }

    /// Runs curl against the server, as `LiveServer.curl` does.
    @discardableResult
    func curl(_ method: String, _ path: String, body: String? = nil, token: String? = nil) throws -> CurlResult {
        var arguments = ["-s", "-S", "-o", "-", "-w", "\n%{http_code}", "-X", method]
        if let token { arguments += ["-H", "Authorization: Bearer \(token)"] }
        if body != nil { arguments += ["-H", "Content-Type: application/json", "--data-binary", "@-"] }
        arguments.append("http://127.0.0.1:\(server.port)" + path)
        let text = String(decoding: try Curl.run(arguments, input: body.map { Data($0.utf8) }), as: UTF8.self)
        let split = text.range(of: "\n", options: .backwards)
        let status = Int(text[(split?.upperBound ?? text.startIndex)...]) ?? 0
        return CurlResult(status: status, body: split.map { String(text[..<$0.lowerBound]) } ?? "")
    }

    /// Stores a policy and returns a token holding it.
    func token(rules: String, ttl: String = "1h") throws -> (id: String, token: String) {
        let name = "p" + String(UInt32.random(in: 0...UInt32.max))
        let stored = try curl("PUT", "/v1/policies/\(name)", body: "{\"rules\": \(rules)}", token: rootToken)
        guard stored.status == 200 else { throw AuditedServerError(message: "policy: \(stored.body)") }
        let created = try curl(
            "POST", "/v1/tokens", body: "{\"policies\": [\"\(name)\"], \"ttl\": \"\(ttl)\"}", token: rootToken)
        guard let id = created.json?["id"] as? String, let token = created.json?["token"] as? String else {
            throw AuditedServerError(message: "token: \(created.body)")
        }
        return (id, token)
    }

    func putSecret(_ path: String, _ value: String) throws {
        let result = try curl("PUT", "/v1/secrets/\(path)", body: "{\"value\": \"\(value)\"}", token: rootToken)
        guard result.status == 200 else { throw AuditedServerError(message: "secret: \(result.body)") }
    }
}

struct AuditedServerError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}

extension CurlResult {
    /// The leases of a `POST /v1/leases` answer.
    var leases: [[String: Any]] {
        json?["leases"] as? [[String: Any]] ?? []
    }
}
