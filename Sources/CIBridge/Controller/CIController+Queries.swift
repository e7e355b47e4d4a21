import Database
import Foundation

extension CIController {
    /// Pipelines, newest first, optionally of one repository.
    public func pipelines(repository: String? = nil, limit: Int = 50) throws(CIError) -> [PipelineSummary] {
        try read { connection in
            try connection.query(
                """
                SELECT id, repo, ref, commit_sha, state, reason, created_at, finished_at FROM ci_pipelines
                WHERE ?1 IS NULL OR repo = ?1 ORDER BY id DESC LIMIT ?2
                """, .optional(repository), .integer(Int64(max(1, min(limit, 500))))
            ).map(CIController.pipelineSummary)
        }
    }

    /// One pipeline with its jobs in file order.
    public func pipeline(_ id: Int64) throws(CIError) -> (PipelineSummary, [JobSummary]) {
        let found = try read { (connection) throws -> (PipelineSummary, [JobSummary])? in
            guard
                let row = try connection.queryFirst(
                    """
                    SELECT id, repo, ref, commit_sha, state, reason, created_at, finished_at FROM ci_pipelines WHERE id = ?
                    """, .integer(id))
            else { return nil }
            let jobs = try connection.query(
                """
                SELECT id, pipeline_id, name, state, attempt, epoch, runner_id, exit_code, reason, started_at, finished_at, log_size, cleanup, cancel_requested
                FROM ci_jobs WHERE pipeline_id = ? ORDER BY position
                """,
                .integer(id)
            ).map(CIController.jobSummary)
            return (CIController.pipelineSummary(row), jobs)
        }
        guard let found else { throw CIError(.notFound, "no pipeline \(id)") }
        return found
    }

    /// One job.
    public func job(_ id: Int64) throws(CIError) -> JobSummary {
        let found = try read { connection in
            try connection.queryFirst(
                """
                SELECT id, pipeline_id, name, state, attempt, epoch, runner_id, exit_code, reason, started_at, finished_at, log_size, cleanup, cancel_requested
                FROM ci_jobs WHERE id = ?
                """, .integer(id)
            )
            .map(CIController.jobSummary)
        }
        guard let found else { throw CIError(.notFound, "no job \(id)") }
        return found
    }

    /// The commit statuses of a pipeline's commit, in the order they were recorded.
    public func statuses(ofPipeline id: Int64) throws(CIError) -> [CommitStatusRecord] {
        try read { connection in
            try connection.query(
                """
                SELECT o.context, o.state, o.description, o.delivered_at, o.attempts, o.last_error
                FROM ci_status_outbox o JOIN ci_pipelines p ON p.repo = o.repo AND p.commit_sha = o.commit_sha
                WHERE p.id = ? ORDER BY o.id
                """, .integer(id)
            ).map { row in
                CommitStatusRecord(
                    context: row.text(0) ?? "", state: CommitStatusState(rawValue: row.text(1) ?? "") ?? .error,
                    description: row.text(2) ?? "", deliveredAt: row.int(3), attempts: Int(row.int(4) ?? 0),
                    lastError: row.text(5))
            }
        }
    }

    /// Up to `limit` bytes of a job's log from `offset`.
    public func log(jobID: Int64, from offset: Int64, limit: Int = 1 << 20) throws(CIError) -> [UInt8] {
        let size = try job(jobID).logSize
        guard offset < size else { return [] }
        guard let handle = FileHandle(forReadingAtPath: logPath(jobID)) else { return [] }
        defer { try? handle.close() }
        do {
            try handle.seek(toOffset: UInt64(offset))
            let count = Int(min(Int64(limit), size - offset))
            return Array(try handle.read(upToCount: count) ?? Data())
        } catch {
            throw CIError(.storage, "cannot read the log of job \(jobID)")
        }
    }

    static func pipelineSummary(_ row: Row) -> PipelineSummary {
        PipelineSummary(
            id: row.int(0) ?? 0, repository: row.text(1) ?? "", ref: row.text(2) ?? "", commit: row.text(3) ?? "",
            state: PipelineState(rawValue: row.text(4) ?? "") ?? .error, reason: row.text(5),
            createdAt: row.int(6) ?? 0,
            finishedAt: row.int(7))
    }

    static func jobSummary(_ row: Row) -> JobSummary {
        JobSummary(
            id: row.int(0) ?? 0, pipelineID: row.int(1) ?? 0, name: row.text(2) ?? "",
            state: JobState(rawValue: row.text(3) ?? "") ?? .error, attempt: Int(row.int(4) ?? 1),
            epoch: row.int(5) ?? 0,
            runnerID: row.text(6), exitCode: row.int(7).map(Int.init), reason: row.text(8), startedAt: row.int(9),
            finishedAt: row.int(10), logSize: row.int(11) ?? 0, cleanup: row.text(12), cancelRequested: row.bool(13))
    }
}
