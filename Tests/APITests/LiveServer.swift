import Cryptography
import Database
import Foundation
import HTTPServer
import Logging
import TestSupport
import Vault

@testable import API

/// The real HTTP server on 127.0.0.1 with a fresh, initialised vault behind it, and an audit log as
/// `vaultctl server` keeps one (in the test's directory unless `auditPath` says otherwise).
final class LiveServer: @unchecked Sendable {
    let directory = TemporaryDirectory()
    let vault: Vault
    let server: HTTPServer
    let rootToken: String
    let unsealKey: SecretBytes
    let logs = LogSink.memory()
    let audit: AuditLog
    let auditPath: String

    init(options: VaultOptions = VaultOptions(), maxRequestBytes: Int = 1 << 20, auditPath: String? = nil) throws {
        vault = try Vault(database: Database(path: directory.file("vault.db")), options: options)
        let result = try vault.initialize()
        rootToken = result.rootToken
        unsealKey = result.unsealKey
        self.auditPath = auditPath ?? directory.file("audit.log")
        audit = try AuditLog(
            path: self.auditPath, key: AuditLog.loadOrCreateKey(at: directory.file("audit.key")), syncInterval: nil)
        let logger = Logger(label: "test", level: .trace, sink: logs)
        let responder = APIResponder(vault: vault, logger: logger, maxRequestBytes: maxRequestBytes, audit: audit)
        var configuration = HTTPServerConfiguration(host: "127.0.0.1", port: 0)
        configuration.workerThreads = 2
        server = try HTTPServer(configuration: configuration, responder: responder, logger: logger)
        try server.start()
    }

    deinit {
        server.stop(graceSeconds: 1)
    }

    var address: String { "http://127.0.0.1:\(server.port)" }

    /// Runs the real `curl` against the server and returns the status and body.
    @discardableResult
    func curl(
        _ method: String, _ path: String, body: String? = nil, token: String? = nil, headers: [String] = [],
        extra: [String] = []
    ) throws -> CurlResult {
        var arguments = ["-s", "-S", "-o", "-", "-w", "\n%{http_code}", "-X", method, "--path-as-is"]
        if let token { arguments += ["-H", "Authorization: Bearer \(token)"] }
        for header in headers { arguments += ["-H", header] }
        if body != nil {
            arguments += ["-H", "Content-Type: application/json", "--data-binary", "@-"]
        }
        arguments += extra
        arguments.append(address + path)
        let output = try Curl.run(arguments, input: body.map { Data($0.utf8) })
        let text = String(decoding: output, as: UTF8.self)
        let split = text.range(of: "\n", options: .backwards)
        let status = Int(text[(split?.upperBound ?? text.startIndex)...]) ?? 0
        let bodyText = split.map { String(text[..<$0.lowerBound]) } ?? ""
        return CurlResult(status: status, body: bodyText)
    }
}

/// What curl got back.
struct CurlResult {
    let status: Int
    let body: String

    /// The body as a JSON object, if it is one.
    var json: [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any]
    }

    /// The `error.code` of a JSON error body.
    var errorCode: String? {
        (json?["error"] as? [String: Any])?["code"] as? String
    }
}

/// Runs the curl binary; the body goes through standard input, never the command line.
enum Curl {
    static func run(_ arguments: [String], input: Data? = nil) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        process.arguments = arguments
        let output = Pipe()
        let stdin = Pipe()
        process.standardOutput = output
        process.standardInput = stdin
        process.standardError = FileHandle.nullDevice
        try process.run()
        if let input {
            stdin.fileHandleForWriting.write(input)
        }
        try stdin.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return data
    }
}
