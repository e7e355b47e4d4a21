import Database
import Foundation

extension CIController {
    /// The pipeline file every repository keeps at its root.
    static let pipelineFile = ".vault-ci.yml"

    /// Compiles every pipeline still pending, as after a restart.
    func compilePendingPipelines() {
        let pending =
            (try? read { connection in
                try connection.query("SELECT id FROM ci_pipelines WHERE state = 'pending' ORDER BY id").compactMap {
                    $0.int(0)
                }
            }) ?? []
        pending.forEach(compilePipeline)
    }

    /// Reads the pipeline file at the pushed commit, compiles it and queues its jobs.
    func compilePipeline(_ id: Int64) {
        do {
            let row = try read { connection in
                try connection.queryFirst(
                    "SELECT repo, ref, commit_sha, is_manual, state FROM ci_pipelines WHERE id = ?", .integer(id))
            }
            guard let row, row.text(4) == PipelineState.pending.rawValue else { return }
            let push = PushContext(
                repository: row.text(0) ?? "", ref: row.text(1) ?? "", commit: row.text(2) ?? "", isManual: row.bool(3))
            let outcome = try compileOutcome(push)
            try store(outcome, pipelineID: id, push: push)
            logger.info("pipeline compiled", ["pipeline.id": "\(id)", "repo.name": push.repository])
        } catch {
            logger.error("pipeline could not be stored", ["pipeline.id": "\(id)", "error": "\(error)"])
        }
        waiters.notifyAll()
    }

    private enum CompileResult: Sendable {
        case pipeline(CompiledPipeline)
        case skipped(String)
        case failed(String)
    }

    private func compileOutcome(_ push: PushContext) throws(CIError) -> CompileResult {
        let repository: RepositoryInfo
        do {
            repository = try self.repository(push.repository)
        } catch {
            return .failed("the repository \(push.repository) is not registered")
        }
        let file: [UInt8]?
        do {
            file = try mirrors.file(
                CIController.pipelineFile, commit: push.commit, repository: push.repository,
                cloneURL: repository.cloneURL)
        } catch {
            return .failed(error.reason)
        }
        guard let file else {
            return .failed("there is no \(CIController.pipelineFile) at commit \(push.commit.prefix(12))")
        }
        do {
            switch try compiler.compile(file, push: push) {
            case .triggered(let pipeline): return .pipeline(pipeline)
            case .notTriggered(let reason): return .skipped(reason)
            }
        } catch {
            return .failed("\(CIController.pipelineFile) \(error.location): \(error.reason)")
        }
    }

    private func store(_ result: CompileResult, pipelineID id: Int64, push: PushContext) throws(CIError) {
        let time = now
        let target = "\(options.publicURL)/v1/pipelines/\(id)"
        try write { connection in
            switch result {
            case .skipped(let reason):
                try connection.run(
                    "UPDATE ci_pipelines SET state = 'skipped', reason = ?, finished_at = ? WHERE id = ?",
                    .text(reason),
                    .integer(time), .integer(id))
            case .failed(let reason):
                try connection.run(
                    "UPDATE ci_pipelines SET state = 'error', reason = ?, finished_at = ? WHERE id = ?", .text(reason),
                    .integer(time), .integer(id))
                try StatusOutbox.enqueue(
                    connection, repository: push.repository, commit: push.commit, context: "vault-ci", state: .error,
                    description: reason, targetURL: target, now: time)
            case .pipeline(let pipeline):
                try connection.run(
                    "UPDATE ci_pipelines SET state = 'running', compiled = ? WHERE id = ?",
                    .text(JSONEncoder.text(pipeline)), .integer(id))
                for (position, job) in pipeline.jobs.enumerated() {
                    try connection.run(
                        """
                        INSERT INTO ci_jobs (pipeline_id, name, job_group, position, state, spec, labels)
                        VALUES (?, ?, ?, ?, 'blocked', ?, ?)
                        """, .integer(id), .text(job.id), .text(job.group), .integer(Int64(position)),
                        .text(JSONEncoder.text(job)), .text(JSONEncoder.text(job.labels)))
                    try StatusOutbox.enqueue(
                        connection, repository: push.repository, commit: push.commit, context: "vault-ci/\(job.id)",
                        state: .pending, description: "queued", targetURL: target, now: time)
                }
                try advance(pipelineID: id, connection: connection)
            }
        }
    }

    /// Applies the scheduling rules to a pipeline after any change, in the caller's transaction:
    /// queues or skips blocked jobs, cancels fail-fast siblings, errors jobs no runner can take,
    /// records final commit statuses and ends the pipeline when its jobs have all ended.
    func advance(pipelineID id: Int64, connection: Connection) throws {
        guard
            let pipeline = try connection.queryFirst(
                "SELECT repo, commit_sha, cancel_requested, state FROM ci_pipelines WHERE id = ?", .integer(id))
        else { return }
        let time = now
        let runnerLabels = try connection.query("SELECT labels FROM ci_runners").map {
            Set(JSONDecoder.value([String].self, from: $0.text(0)) ?? [])
        }
        // A job no runner can take ends in error, which can settle its dependents: apply the rules
        // again until that stops happening.
        var settling = true
        while settling {
            settling = false
            let jobs = try scheduledJobs(pipelineID: id, connection: connection)
            for change in SchedulingRules.changes(for: jobs, pipelineCancelled: pipeline.bool(2)) {
                var state = change.state
                var reason = change.reason
                if state == .queued, let job = jobs.first(where: { $0.id == change.jobID }),
                    !runnerLabels.contains(where: { Set(job.spec.labels).isSubset(of: $0) })
                {
                    state = .error
                    reason = "no registered runner has the labels [\(job.spec.labels.joined(separator: ", "))]"
                    settling = true
                }
                try apply(change, state: state, reason: reason, at: time, connection: connection)
            }
        }
        let settled = try scheduledJobs(pipelineID: id, connection: connection)
        let repository = pipeline.text(0) ?? ""
        let commit = pipeline.text(1) ?? ""
        let target = "\(options.publicURL)/v1/pipelines/\(id)"
        for job in settled where job.state.isFinal {
            try StatusOutbox.enqueue(
                connection, repository: repository, commit: commit, context: "vault-ci/\(job.name)",
                state: job.state.commitStatus, description: job.state.rawValue.replacingOccurrences(of: "_", with: " "),
                targetURL: target, now: time)
        }
        if pipeline.text(3) == PipelineState.running.rawValue, let final = SchedulingRules.pipelineState(for: settled) {
            try connection.run(
                "UPDATE ci_pipelines SET state = ?, finished_at = ? WHERE id = ?", .text(final.rawValue),
                .integer(time), .integer(id))
        }
    }

    private func apply(
        _ change: JobChange, state: JobState?, reason: String?, at time: Int64, connection: Connection
    ) throws {
        if change.requestCancel {
            try connection.run(
                "UPDATE ci_jobs SET cancel_requested = 1, reason = coalesce(reason, ?) WHERE id = ?", .optional(reason),
                .integer(change.jobID))
        }
        guard let state else { return }
        try connection.run(
            """
            UPDATE ci_jobs SET state = ?, reason = coalesce(?, reason),
                queued_at = CASE WHEN ? = 'queued' THEN ? ELSE queued_at END,
                finished_at = CASE WHEN ? = 'queued' THEN finished_at ELSE ? END
            WHERE id = ?
            """, .text(state.rawValue), .optional(reason), .text(state.rawValue), .integer(time),
            .text(state.rawValue), .integer(time), .integer(change.jobID))
    }

    func scheduledJobs(pipelineID id: Int64, connection: Connection) throws -> [ScheduledJob] {
        try connection.query(
            "SELECT id, name, state, cancel_requested, spec FROM ci_jobs WHERE pipeline_id = ? ORDER BY position",
            .integer(id)
        ).compactMap { row in
            guard let spec = JSONDecoder.value(CompiledJob.self, from: row.text(4)),
                let state = JobState(rawValue: row.text(2) ?? "")
            else { return nil }
            return ScheduledJob(
                id: row.int(0) ?? 0, name: row.text(1) ?? "", state: state, cancelRequested: row.bool(3), spec: spec)
        }
    }

    /// Cancels a pipeline: jobs not yet running end as cancelled, running ones hear it at their next heartbeat.
    public func cancelPipeline(_ id: Int64) throws(CIError) {
        try write { (connection) throws in
            guard
                let state = try connection.queryFirst("SELECT state FROM ci_pipelines WHERE id = ?", .integer(id))?
                    .text(0)
            else {
                throw CIError(.notFound, "no pipeline \(id)")
            }
            guard !(PipelineState(rawValue: state)?.isFinal ?? true) else { return }
            try connection.run("UPDATE ci_pipelines SET cancel_requested = 1 WHERE id = ?", .integer(id))
            if state == PipelineState.pending.rawValue {
                try connection.run(
                    "UPDATE ci_pipelines SET state = 'cancelled', finished_at = ? WHERE id = ?", .integer(now),
                    .integer(id))
            }
            try advance(pipelineID: id, connection: connection)
        }
    }
}
