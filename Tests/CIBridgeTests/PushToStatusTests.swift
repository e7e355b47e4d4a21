import API
import Cryptography
import Database
import Foundation
import HTTPServer
import Logging
import Synchronization
import TestSupport
import Testing
import Vault

@testable import CIBridge

/// A stand-in Git provider: records every commit status posted to it, failing the first few.
final class StatusProvider: HTTPResponder, @unchecked Sendable {
    struct Received: Sendable {
        let context: String
        let state: String
        let status: Int
    }

    private let failuresLeft: Mutex<Int>
    private let received = Mutex<[Received]>([])

    init(failFirst: Int) {
        failuresLeft = Mutex(failFirst)
    }

    var all: [Received] { received.withLock { $0 } }

    func route(_ head: HTTPRequestHead) -> HTTPRoute {
        .collect(limit: 1 << 16) { [self] request in
            let object = (try? JSONSerialization.jsonObject(with: Data(request.body))) as? [String: Any] ?? [:]
            let status = failuresLeft.withLock { left in
                guard left > 0 else { return 201 }
                left -= 1
                return 500
            }
            received.withLock {
                $0.append(
                    Received(context: object["context"] as? String ?? "", state: object["status"] as? String ?? "", status: status))
            }
            return .now(HTTPResponse(status: status))
        }
    }
}

@Suite struct PushToStatusTests {
    @Test func signedPushBecomesJobsAndStatusesReachTheProviderThroughItsErrors() throws {
        let directory = TemporaryDirectory()
        let commit = try GitFixture.repository(at: directory.file("src"), pipeline: """
            on: { push: { branches: [main] } }
            jobs:
              build:
                runs-on: [linux]
                steps:
                  - run: echo build
              test:
                needs: [build]
                steps:
                  - run: echo test
            """)
        let provider = StatusProvider(failFirst: 3)
        let providerServer = try HTTPServer(
            configuration: HTTPServerConfiguration(host: "127.0.0.1", port: 0), responder: provider,
            logger: Logger(label: "provider", sink: .memory()))
        try providerServer.start()
        defer { providerServer.stop(graceSeconds: 1) }

        let database = try Database(path: directory.file("vault.db"))
        let vault = try Vault(database: database)
        let root = try vault.initialize().rootToken
        let services = VaultCIServices(vault: vault)
        let ci = try CIController(
            database: database, dataDirectory: directory.path, credentials: services, secrets: services,
            logger: Logger(label: "ci", sink: .memory()))
        ci.start()
        defer { ci.stop() }
        let server = try HTTPServer(
            configuration: HTTPServerConfiguration(host: "127.0.0.1", port: 0),
            responder: APIResponder(vault: vault, logger: Logger(label: "api", sink: .memory()), ci: ci),
            logger: Logger(label: "http", sink: .memory()))
        try server.start()
        defer { server.stop(graceSeconds: 1) }
        let api = "http://127.0.0.1:\(server.port)"

        let repo = try Curl.json(
            "PUT", api + "/v1/repos/acme/app", token: root,
            body: #"{"clone_url": "\#(directory.file("src"))", "webhook_secret": "It's a Secret to Everybody", "status": {"kind": "generic", "url": "http://127.0.0.1:\#(providerServer.port)/status"}}"#)
        #expect(repo.status == 200)
        let registration = try ci.createRegistrationToken()
        let runnerToken = try ci.registerRunner(registrationToken: registration, name: "r1", labels: ["linux"], capacity: 2).token

        let body = #"{"ref":"refs/heads/main","after":"\#(commit)","repository":{"full_name":"acme/app"}}"#
        let wrong = try Curl.json(
            "POST", api + "/v1/webhooks/github", body: body,
            headers: ["X-GitHub-Event: push", "X-Hub-Signature-256: sha256=" + String(repeating: "0", count: 64)])
        #expect(wrong.status == 401)
        #expect(try ci.pipelines().isEmpty, "a wrongly signed hook creates nothing")

        let signature = "sha256=" + Hex.encode(
            HMACSHA256.authenticationCode(for: Array(body.utf8), key: SecretBytes(Array("It's a Secret to Everybody".utf8))))
        let headers = ["X-GitHub-Event: push", "X-Hub-Signature-256: \(signature)", "X-GitHub-Delivery: delivery-1"]
        let first = try Curl.json("POST", api + "/v1/webhooks/github", body: body, headers: headers)
        #expect(first.status == 202)
        let again = try Curl.json("POST", api + "/v1/webhooks/github", body: body, headers: headers)
        #expect(again.status == 200)
        #expect(again.object["pipeline"] as? Int == first.object["pipeline"] as? Int)
        let otherDelivery = try Curl.json(
            "POST", api + "/v1/webhooks/github", body: body,
            headers: ["X-GitHub-Event: push", "X-Hub-Signature-256: \(signature)", "X-GitHub-Delivery: delivery-2"])
        #expect(otherDelivery.status == 200)
        #expect(try ci.pipelines().count == 1)

        for expected in ["build", "test"] {
            let claimed = try Curl.json("GET", api + "/v1/jobs?wait=20", token: runnerToken)
            #expect(claimed.status == 200)
            #expect(claimed.object["name"] as? String == expected)
            let id = try #require(claimed.object["id"] as? Int)
            let epoch = try #require(claimed.object["epoch"] as? Int)
            #expect((claimed.object["job_token"] as? String)?.isEmpty == false)
            let beat = try Curl.json("POST", api + "/v1/jobs/\(id)/heartbeat", token: runnerToken, body: #"{"epoch": \#(epoch)}"#)
            #expect(beat.object["cancel"] as? Bool == false)
            let done = try Curl.json(
                "POST", api + "/v1/jobs/\(id)/complete", token: runnerToken,
                body: #"{"epoch": \#(epoch), "status": "success", "exit_code": 0, "cleanup": {"processes_left": 0}}"#)
            #expect(done.status == 200)
        }
        let pipelineID = try #require(first.object["pipeline"] as? Int)
        let shown = try Curl.json("GET", api + "/v1/pipelines/\(pipelineID)", token: root)
        #expect(shown.object["state"] as? String == "success")

        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline, provider.all.filter({ $0.status == 201 }).count < 4 {
            Thread.sleep(forTimeInterval: 0.2)
        }
        let delivered = provider.all.filter { $0.status == 201 }
        #expect(provider.all.filter { $0.status == 500 }.count == 3)
        for context in ["vault-ci/build", "vault-ci/test"] {
            #expect(delivered.filter { $0.context == context }.map(\.state) == ["pending", "success"], "\(context)")
        }
    }
}

/// A real Git repository holding a pipeline file, made with the `git` binary.
enum GitFixture {
    /// Creates a repository at `path` with `.vault-ci.yml` and `extraFiles`; returns the commit id.
    static func repository(at path: String, pipeline: String, extraFiles: [String: String] = [:]) throws -> String {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        try git(["init", "-q", "-b", "main"], in: path)
        try pipeline.write(toFile: path + "/.vault-ci.yml", atomically: true, encoding: .utf8)
        for (name, text) in extraFiles {
            try text.write(toFile: path + "/" + name, atomically: true, encoding: .utf8)
        }
        try git(["add", "."], in: path)
        try git(["-c", "user.name=test", "-c", "user.email=test@example.invalid", "commit", "-q", "-m", "pipeline"], in: path)
        return try git(["rev-parse", "HEAD"], in: path).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @discardableResult
    static func git(_ arguments: [String], in directory: String) throws -> String {
        let result = try CommandRunner.run("/usr/bin/git", ["-C", directory] + arguments)
        guard result.exitCode == 0 else { throw GitFailure(message: "git \(arguments.first ?? "") failed: \(result.standardError)") }
        return result.standardOutput
    }
}

/// curl with a JSON answer.
enum Curl {
    struct Answer {
        let status: Int
        let object: [String: Any]
    }

    static func json(_ method: String, _ url: String, token: String? = nil, body: String? = nil, headers: [String] = [])
        throws -> Answer
    {
        var arguments = ["-s", "-o", "-", "-w", "\n%{http_code}", "-X", method]
        if let token { arguments += ["-H", "Authorization: Bearer \(token)"] }
        for header in headers { arguments += ["-H", header] }
        if body != nil { arguments += ["-H", "Content-Type: application/json", "--data-binary", "@-"] }
        arguments.append(url)
        let result = try CommandRunner.run("/usr/bin/curl", arguments, input: body.map { Data($0.utf8) })
        let lines = result.standardOutput.split(separator: "\n", omittingEmptySubsequences: false)
        let status = Int(lines.last ?? "") ?? 0
        let text = lines.dropLast().joined(separator: "\n")
        let object = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:]
        return Answer(status: status, object: object)
    }
}

/// A git command in a test fixture failed.
struct GitFailure: Error {
    let message: String
}
