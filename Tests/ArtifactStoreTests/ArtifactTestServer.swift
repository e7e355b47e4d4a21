import API
import ArtifactStore
import Database
import Foundation
import HTTPServer
import Logging
import TestSupport
import Timekeeping
import Vault

/// The real HTTP server on 127.0.0.1 with a fresh vault and artifact store behind it.
final class ArtifactTestServer: @unchecked Sendable {
    let directory = TemporaryDirectory()
    let database: Database
    let vault: Vault
    let store: ArtifactStore
    let server: HTTPServer
    let rootToken: String

    init(options: ArtifactStoreOptions = ArtifactStoreOptions(), clock: any WallClock = SystemClock()) throws {
        database = try Database(path: directory.file("vault.db"))
        vault = try Vault(database: database)
        rootToken = try vault.initialize().rootToken
        let logger = Logger(label: "test", level: .warning, sink: LogSink.memory())
        store = try ArtifactStore(
            database: database, dataDirectory: directory.file("data"), options: options, clock: clock, logger: logger)
        let responder = APIResponder(vault: vault, logger: logger, artifacts: store)
        var configuration = HTTPServerConfiguration(host: "127.0.0.1", port: 0)
        configuration.workerThreads = 4
        server = try HTTPServer(configuration: configuration, responder: responder, logger: logger)
        try server.start()
    }

    deinit {
        server.stop(graceSeconds: 1)
    }

    var address: String { "http://127.0.0.1:\(server.port)" }

    var blobsPath: String { directory.file("data/blobs/sha256") }
    var temporaryPath: String { directory.file("data/tmp") }

    /// Runs curl against `path` with the root token (unless `token` says otherwise).
    @discardableResult
    func curl(_ path: String, _ arguments: [String], token: String? = nil) throws -> CurlAnswer {
        try CurlAnswer.run(arguments + ["-H", "Authorization: Bearer \(token ?? rootToken)", address + path])
    }

    /// `curl -F file=@...` for each file, plus text fields.
    func upload(_ files: [String], fields: [(String, String)] = []) throws -> CurlAnswer {
        var arguments: [String] = []
        for (name, value) in fields { arguments += ["-F", "\(name)=\(value)"] }
        for file in files { arguments += ["-F", "file=@\(file)"] }
        return try curl("/v1/artifacts", arguments)
    }

    /// Every file under the blob directory, by name.
    func blobFiles() -> [String] {
        let shards = (try? FileManager.default.contentsOfDirectory(atPath: blobsPath)) ?? []
        return shards.flatMap { shard in
            ((try? FileManager.default.contentsOfDirectory(atPath: blobsPath + "/" + shard)) ?? [])
        }.sorted()
    }

    /// Every file under the temporary directory.
    func temporaryFiles() -> [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: temporaryPath)) ?? []
    }
}

/// What curl got back: the status and the body (or nothing when the body went to a file).
struct CurlAnswer: Sendable {
    let status: Int
    let body: String
    let headers: String

    var json: [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any]
    }

    var errorCode: String? {
        (json?["error"] as? [String: Any])?["code"] as? String
    }

    /// The artifacts of an upload answer.
    var artifacts: [[String: Any]] {
        json?["artifacts"] as? [[String: Any]] ?? []
    }

    /// A response header's value.
    func header(_ name: String) -> String? {
        for line in headers.split(separator: "\r\n") {
            let parts = line.split(separator: ":", maxSplits: 1)
            if parts.count == 2, parts[0].lowercased() == name.lowercased() {
                return parts[1].trimmingCharacters(in: .whitespaces)
            }
        }
        return nil
    }

    /// Runs the curl binary; `-o FILE` in `arguments` sends the body to a file instead.
    static func run(_ arguments: [String]) throws -> CurlAnswer {
        let directory = TemporaryDirectory()
        let headerFile = directory.file("headers")
        var all = ["-s", "-S", "-D", headerFile, "-w", "\n%{http_code}"]
        if !arguments.contains("-o") { all += ["-o", "-"] }
        let result = try CommandRunner.run("/usr/bin/curl", all + arguments)
        let text = result.standardOutput
        let split = text.range(of: "\n", options: .backwards)
        let status = Int(text[(split?.upperBound ?? text.startIndex)...]) ?? 0
        let body = split.map { String(text[..<$0.lowerBound]) } ?? ""
        let headers = (try? String(contentsOfFile: headerFile, encoding: .utf8)) ?? ""
        return CurlAnswer(status: status, body: body, headers: headers)
    }
}

/// Test files and their digests.
enum TestFiles {
    /// Writes `size` random bytes to `path`.
    static func random(_ path: String, size: Int) throws {
        let result = try CommandRunner.run("/bin/sh", ["-c", "head -c \(size) /dev/urandom > '\(path)'"])
        guard result.exitCode == 0 else { throw TestFileError(message: result.standardError) }
    }

    /// `sha256sum`'s digest of a file, as `sha256:<hex>`.
    static func sha256sum(_ path: String) throws -> String {
        let result = try CommandRunner.run("/usr/bin/sha256sum", [path])
        return "sha256:" + result.standardOutput.prefix(64)
    }
}

struct TestFileError: Error {
    let message: String
}
