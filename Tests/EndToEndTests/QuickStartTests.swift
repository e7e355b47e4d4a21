import Cryptography
import Foundation
import HTTPServer
import Logging
import TestSupport
import Testing

/// The README's quick start, done the way a new user does it: the built `vaultctl`, a bare Git
/// repository with the example post-receive hook, real `git` and `curl`, and a local HTTP server
/// standing in for the Git provider's commit status API.
@Suite(.serialized) struct QuickStartTests {
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    @Test func pushOfTheSampleRepositoryRunsToCommitStatusWithoutLeakingTheSecret() throws {
        let directory = TemporaryDirectory()
        let provider = StatusProvider(failFirst: 0)
        let providerServer = try HTTPServer(
            configuration: HTTPServerConfiguration(host: "127.0.0.1", port: 0), responder: provider,
            logger: Logger(label: "provider", sink: .memory()))
        try providerServer.start()
        defer { providerServer.stop(graceSeconds: 1) }
        let server = try DevServer(directory: directory.path)
        let env = server.environment
        func vaultctl(_ arguments: [String], input: String? = nil) throws -> CommandResult {
            try CommandRunner.vaultctl(arguments, input: input, environment: env, directory: directory.path)
        }

        let secret = "greeting-" + Hex.encode(try SecureRandom.bytes(16))
        #expect(try vaultctl(["secret", "put", "hello-vault/GREETING_KEY"], input: secret).exitCode == 0)
        let hookSecret = directory.file("hook.secret")
        try "quick-start-webhook-secret\n".write(toFile: hookSecret, atomically: true, encoding: .utf8)
        let bare = directory.file("hello.git")
        let added = try vaultctl([
            "repo", "add", "acme/hello", "--clone-url", bare, "--webhook-secret-file", hookSecret, "--status",
            "generic",
            "--status-url", "http://127.0.0.1:\(providerServer.port)/status",
        ])
        #expect(added.exitCode == 0, "\(added.standardError)")

        try GitFixture.git(["init", "-q", "--bare", bare], in: directory.path)
        try FileManager.default.copyItem(
            atPath: QuickStartTests.repositoryRoot + "/examples/hooks/post-receive",
            toPath: bare + "/hooks/post-receive")
        for (key, value) in [
            ("vault.url", server.address), ("vault.repo", "acme/hello"), ("vault.secretFile", hookSecret),
        ] {
            try GitFixture.git(["--git-dir", bare, "config", key, value], in: directory.path)
        }
        let work = directory.file("work")
        try FileManager.default.copyItem(atPath: QuickStartTests.repositoryRoot + "/examples/sample-repo", toPath: work)
        try GitFixture.git(["init", "-q", "-b", "main"], in: work)
        try GitFixture.git(["add", "."], in: work)
        try commit("sample", in: work)
        try GitFixture.git(["remote", "add", "origin", bare], in: work)
        try GitFixture.git(["push", "-q", "origin", "main"], in: work)
        let commitID = try GitFixture.git(["rev-parse", "HEAD"], in: work).trimmingCharacters(
            in: .whitespacesAndNewlines)

        let first = try waitForPipeline(1, vaultctl)
        #expect(first["state"] as? String == "success", "pipeline: \(first)")
        let jobs = first["jobs"] as? [[String: Any]] ?? []
        #expect(jobs.map { $0["name"] as? String } == ["build", "test (shard: 1)", "test (shard: 2)"])
        for job in jobs {
            let receipt = job["cleanup"] as? [String: Any] ?? [:]
            #expect(receipt["workspace_removed"] as? Bool == true, "\(job)")
            #expect(receipt["leases_revoked"] as? Bool == true, "\(job)")
            #expect((receipt["processes_left"] as? NSNumber)?.intValue == 0, "\(job)")
        }

        let statuses = try waitForStatuses(provider, count: 6)
        for name in ["build", "test (shard: 1)", "test (shard: 2)"] {
            #expect(
                statuses.filter { $0.context == "vault-ci/\(name)" }.map(\.state) == ["pending", "success"], "\(name)")
        }

        let pulled = directory.file("hello.txt")
        let pull = try vaultctl(["artifact", "pull", "hello.txt", "-o", pulled])
        #expect(pull.exitCode == 0, "\(pull.standardError)")
        let expected = "hello from hello-vault at \(commitID)\n"
        #expect(try String(contentsOfFile: pulled, encoding: .utf8) == expected)
        let listed = try json(vaultctl(["artifact", "list", "--format", "json"]))
        let artifact = (listed["artifacts"] as? [[String: Any]])?.first { $0["name"] as? String == "hello.txt" }
        #expect(artifact?["digest"] as? String == "sha256:" + Hex.encode(SHA256.digest(Array(expected.utf8))))

        for job in jobs {
            let id = "\(job["id"] ?? "")"
            let log = try vaultctl(["pipeline", "logs", id]).standardOutput
            #expect(!log.isEmpty)
            #expect(!log.contains(secret), "job \(id) log holds the secret")
            let leases = try json(vaultctl(["lease", "list", "--job", id, "--format", "json"]))
            for lease in leases["leases"] as? [[String: Any]] ?? [] {
                let answer = try Curl.json(
                    "GET", server.address + "/v1/leases/\(lease["id"] ?? "")", token: server.rootToken)
                #expect(answer.status == 410, "lease \(lease["id"] ?? "") of job \(id)")
            }
        }
        let build = try #require(jobs.first)
        let buildLeases = try json(vaultctl(["lease", "list", "--job", "\(build["id"] ?? "")", "--format", "json"]))
        #expect((buildLeases["leases"] as? [Any])?.isEmpty == false, "the build job leased its secret")
        let workspaces = (try? FileManager.default.contentsOfDirectory(atPath: directory.file("data/runner"))) ?? []
        #expect(workspaces.filter { !$0.hasPrefix(".") && $0 != "runner.json" }.isEmpty, "left behind: \(workspaces)")
        #expect(!server.log.contains(secret))

        try "#!/bin/sh\necho 'shard broke: expected 4 got 5' >&2\nexit 3\n".write(
            toFile: work + "/build.sh", atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: work + "/build.sh")
        try GitFixture.git(["add", "."], in: work)
        try commit("break the build", in: work)
        try GitFixture.git(["push", "-q", "origin", "main"], in: work)
        let second = try waitForPipeline(2, vaultctl)
        #expect(second["state"] as? String == "failure")
        let failed = (second["jobs"] as? [[String: Any]] ?? []).first { $0["name"] as? String == "build" }
        #expect(failed?["state"] as? String == "failure")
        let failedLog = try vaultctl(["pipeline", "logs", "\(failed?["id"] ?? "")"]).standardOutput
        #expect(failedLog.contains("shard broke: expected 4 got 5"), "log: \(failedLog)")
    }

    private func commit(_ message: String, in directory: String) throws {
        try GitFixture.git(
            ["-c", "user.name=Quick Start", "-c", "user.email=quick@example.invalid", "commit", "-q", "-m", message],
            in: directory)
    }

    private func json(_ result: CommandResult) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
    }

    /// Polls `vaultctl pipeline show` until the pipeline has ended.
    private func waitForPipeline(_ id: Int, _ vaultctl: ([String], String?) throws -> CommandResult) throws
        -> [String: Any]
    {
        let deadline = Date().addingTimeInterval(180)
        var last: [String: Any] = [:]
        while Date() < deadline {
            let shown = try vaultctl(["pipeline", "show", "\(id)", "--format", "json"], nil)
            if shown.exitCode == 0 {
                last = try json(shown)
                if let state = last["state"] as? String, !["pending", "running"].contains(state) { return last }
            }
            Thread.sleep(forTimeInterval: 0.5)
        }
        Issue.record("pipeline \(id) did not end: \(last)")
        return last
    }

    private func waitForStatuses(_ provider: StatusProvider, count: Int) throws -> [StatusProvider.Received] {
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline, provider.all.count < count {
            Thread.sleep(forTimeInterval: 0.2)
        }
        return provider.all
    }
}
