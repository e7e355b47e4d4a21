import API
import Database
import Foundation
import Logging
import Synchronization
import TestSupport
import Timekeeping
import Vault

@testable import CIBridge

/// A CI controller over a real SQLite file and a real, unsealed vault, driven by a manual clock.
final class ControllerFixture: @unchecked Sendable {
    let directory = TemporaryDirectory()
    let database: Database
    let vault: Vault
    let clock = ManualClock()
    let controller: CIController
    let logs = LogSink.memory()

    init(options: CIOptions = CIOptions(jobLeaseSeconds: 30, maxAttempts: 3, sweepIntervalSeconds: 3600)) throws {
        database = try Database(path: directory.file("vault.db"))
        vault = try Vault(database: database, clock: clock)
        _ = try vault.initialize()
        let services = VaultCIServices(vault: vault)
        controller = try CIController(
            database: database, dataDirectory: directory.path, credentials: services, secrets: services,
            options: options, logger: Logger(label: "ci", level: .debug, sink: logs), clock: clock)
    }

    /// Opens a second controller on the same file, as a restarted server would.
    func restarted() throws -> CIController {
        let services = VaultCIServices(vault: vault)
        return try CIController(
            database: database, dataDirectory: directory.path, credentials: services, secrets: services,
            options: controller.options, logger: Logger(label: "ci", sink: logs), clock: clock)
    }

    /// Registers a runner with `labels` and returns its identity.
    func runner(labels: [String] = ["linux"], capacity: Int = 4, name: String = "runner") throws -> RunnerIdentity {
        let registration = try controller.createRegistrationToken()
        let runner = try controller.registerRunner(
            registrationToken: registration, name: name, labels: labels, capacity: capacity)
        return try controller.authenticateRunner(token: runner.token)
    }

    /// Stores a pipeline with `jobs` directly, as a compile would, and schedules it.
    @discardableResult
    func pipeline(_ jobs: [CompiledJob], repository: String = "acme/app") throws -> Int64 {
        try controller.putRepository(
            name: repository, cloneURL: "/nonexistent", webhookSecret: nil, status: StatusTarget(kind: .none, url: nil),
            statusToken: nil)
        let push = PushContext(
            repository: repository, ref: "refs/heads/main", commit: String(repeating: "a", count: 40))
        let compiled = CompiledPipeline(name: nil, push: push, env: [:], jobs: jobs)
        return try database.write { connection in
            try connection.run(
                """
                INSERT INTO ci_pipelines (repo, ref, commit_sha, is_manual, state, compiled, created_at)
                VALUES (?, 'refs/heads/main', ?, 1, 'running', ?, 0)
                """, .text(repository), .text(push.commit), .text(JSONEncoder.text(compiled)))
            let id = connection.lastInsertedRowID
            for (position, job) in jobs.enumerated() {
                try connection.run(
                    """
                    INSERT INTO ci_jobs (pipeline_id, name, job_group, position, state, spec, labels)
                    VALUES (?, ?, ?, ?, 'blocked', ?, ?)
                    """, .integer(id), .text(job.id), .text(job.group), .integer(Int64(position)),
                    .text(JSONEncoder.text(job)), .text(JSONEncoder.text(job.labels)))
            }
            try controller.advance(pipelineID: id, connection: connection)
            return id
        }
    }

    func state(ofJob name: String, pipeline: Int64) throws -> JobState {
        try controller.pipeline(pipeline).1.first { $0.name == name }?.state ?? .error
    }
}

/// A compiled job for scheduler tests.
func job(
    _ id: String, needs: [String] = [], labels: [String] = ["linux"], group: String? = nil, matrix: Bool = false,
    failFast: Bool = true, maxParallel: Int? = nil, continueOnError: Bool = false,
    condition: PipelineExpression = .status(.success), secrets: [String: String] = [:]
) -> CompiledJob {
    CompiledJob(
        id: id, group: group ?? id, displayName: id, matrix: matrix ? MatrixCombination([("k", .string(id))]) : nil,
        labels: labels, needs: needs, env: [:], secrets: secrets,
        steps: [
            CompiledStep(
                name: "run", run: "true", env: [:], timeoutSeconds: nil, continueOnError: false,
                condition: .status(.success))
        ],
        artifacts: [], timeoutSeconds: 600, continueOnError: continueOnError, failFast: failFast,
        maxParallel: maxParallel,
        condition: condition, line: 1)
}
