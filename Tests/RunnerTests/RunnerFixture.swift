import Foundation
import TestSupport
import Testing

/// A dev server in its own temporary directory, with a repository holding a pipeline, and helpers
/// to start pipelines, wait for jobs and read what the server stored. Everything goes through the
/// built `vaultctl`, real `git` and real `curl`.
final class RunnerFixture: @unchecked Sendable {
    let directory = TemporaryDirectory()
    let server: DevServer
    let commit: String
    let repository = "acme/app"

    /// Starts `vaultctl server --dev` with `serverArguments` and commits `pipeline` to a fresh repository.
    init(pipeline: String, serverArguments: [String] = []) throws {
        server = try DevServer(directory: directory.path, extraArguments: serverArguments)
        commit = try Self.makeRepository(at: directory.file("src"), pipeline: pipeline)
        let body = #"{"clone_url": "\#(directory.file("src"))"}"#
        let added = try curl("PUT", "/v1/repos/\(repository)", body: body)
        guard added.status == 200 else { throw FixtureError("adding the repository answered \(added.status)") }
    }

    var dataDirectory: String { directory.path + "/data" }

    /// Runs `vaultctl` against the server with the root token.
    func vaultctl(_ arguments: [String], input: String? = nil) throws -> CommandResult {
        try CommandRunner.vaultctl(arguments, input: input, environment: server.environment)
    }

    /// Stores a secret through `vaultctl secret put` (the value on standard input).
    func putSecret(_ path: String, _ value: String) throws {
        let result = try vaultctl(["secret", "put", path], input: value)
        guard result.exitCode == 0 else { throw FixtureError("secret put failed: \(result.standardError)") }
    }

    /// Starts a pipeline at the fixture's commit with `vaultctl pipeline run`; returns its id.
    func startPipeline() throws -> Int {
        let result = try vaultctl(["pipeline", "run", repository, "--commit", commit, "--format", "json"])
        let object = try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any]
        guard let id = object?["pipeline"] as? Int else {
            throw FixtureError("pipeline run failed: \(result.standardError)")
        }
        return id
    }

    /// The pipeline's first job once the pipeline is compiled.
    func firstJob(ofPipeline pipeline: Int) throws -> [String: Any] {
        try waitFor("the pipeline's jobs", seconds: 30) {
            let shown = try curl("GET", "/v1/pipelines/\(pipeline)")
            return (shown.object["jobs"] as? [[String: Any]])?.first
        }
    }

    /// Polls `GET /v1/jobs/{id}` until `condition` holds.
    @discardableResult
    func waitForJob(_ id: Int, seconds: Double = 60, until condition: ([String: Any]) -> Bool) throws -> [String: Any] {
        try waitFor("job \(id)", seconds: seconds) {
            let job = try curl("GET", "/v1/jobs/\(id)").object
            return condition(job) ? job : nil
        }
    }

    /// Waits until the job is in a final state.
    func waitForEnd(ofJob id: Int, seconds: Double = 60) throws -> [String: Any] {
        try waitForJob(id, seconds: seconds) { job in
            ["success", "failure", "cancelled", "timed_out", "skipped", "error"].contains(job["state"] as? String ?? "")
        }
    }

    /// The job's stored log, as `GET /v1/jobs/{id}/log` returns it.
    func log(ofJob id: Int) throws -> String {
        let result = try CommandRunner.run(
            "/usr/bin/curl",
            ["-s", "-H", "Authorization: Bearer \(server.rootToken)", server.address + "/v1/jobs/\(id)/log"])
        return result.standardOutput
    }

    /// Job directories left under a runner's work directory.
    func workspaces(in workDirectory: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: workDirectory)) ?? []).filter { $0.hasPrefix("job-") }
    }

    /// A JSON request with curl; the root token unless `token` is given.
    func curl(
        _ method: String, _ path: String, body: String? = nil, token: String? = nil, headers: [String] = [],
        query: String = ""
    ) throws -> (status: Int, object: [String: Any]) {
        var arguments = ["-s", "-o", "-", "-w", "\n%{http_code}", "-X", method]
        arguments += ["-H", "Authorization: Bearer \(token ?? server.rootToken)"]
        for header in headers { arguments += ["-H", header] }
        if body != nil { arguments += ["-H", "Content-Type: application/json", "--data-binary", "@-"] }
        arguments.append(server.address + path + query)
        let result = try CommandRunner.run("/usr/bin/curl", arguments, input: body.map { Data($0.utf8) })
        let lines = result.standardOutput.split(separator: "\n", omittingEmptySubsequences: false)
        let status = Int(lines.last ?? "") ?? 0
        let text = lines.dropLast().joined(separator: "\n")
        let object = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:]
        return (status, object)
    }

    /// Registers a runner with a fresh registration token; returns the configuration file's path.
    func registerRunner(name: String, workDirectory: String) throws -> String {
        let token = try vaultctl(["runner", "token", "create"]).standardOutput.trimmingCharacters(
            in: .whitespacesAndNewlines)
        let config = directory.file("\(name).json")
        let result = try vaultctl([
            "runner", "register", "--url", server.address, "--token", token, "--name", name, "--labels", "linux",
            "--config", config, "--work-dir", workDirectory,
        ])
        guard result.exitCode == 0 else { throw FixtureError("runner register failed: \(result.standardError)") }
        return config
    }

    /// Polls `body` every 200 ms until it returns a value.
    func waitFor<T>(_ what: String, seconds: Double, _ body: () throws -> T?) throws -> T {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if let value = try body() { return value }
            Thread.sleep(forTimeInterval: 0.2)
        }
        throw FixtureError("timed out waiting for \(what); server log: \(server.log.suffix(3000))")
    }

    /// Creates a repository at `path` holding `.vault-ci.yml`; returns the commit id.
    static func makeRepository(at path: String, pipeline: String) throws -> String {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        try git(["init", "-q", "-b", "main"], in: path)
        try pipeline.write(toFile: path + "/.vault-ci.yml", atomically: true, encoding: .utf8)
        try git(["add", "."], in: path)
        try git(
            ["-c", "user.name=test", "-c", "user.email=test@example.invalid", "commit", "-q", "-m", "ci"], in: path)
        return try git(["rev-parse", "HEAD"], in: path).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @discardableResult
    private static func git(_ arguments: [String], in directory: String) throws -> String {
        let result = try CommandRunner.run("/usr/bin/git", ["-C", directory] + arguments)
        guard result.exitCode == 0 else { throw FixtureError("git failed: \(result.standardError)") }
        return result.standardOutput
    }
}

/// A fixture step failed.
struct FixtureError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}
