import Database
import Foundation

extension CIController {
    /// The final states a runner may report.
    public static let reportableStates: Set<JobState> = [.success, .failure, .cancelled, .timedOut]

    /// Renews the job's lease; returns whether the job should be cancelled.
    public func heartbeat(jobID: Int64, epoch: Int64, runner: RunnerIdentity) throws(CIError) -> Bool {
        let time = now
        return try write { (connection) throws -> Bool in
            try CIController.checkHolder(connection, jobID: jobID, epoch: epoch, runner: runner)
            try connection.run(
                """
                UPDATE ci_jobs SET lease_expires_at = ?, state = 'running' WHERE id = ?
                """, .integer(time + options.jobLeaseSeconds), .integer(jobID))
            try connection.run("UPDATE ci_runners SET last_seen_at = ? WHERE id = ?", .integer(time), .text(runner.id))
            return try connection.queryFirst("SELECT cancel_requested FROM ci_jobs WHERE id = ?", .integer(jobID))?
                .bool(0) ?? false
        }
    }

    /// Appends log bytes written from `offset`; a repeat of bytes already held changes nothing, a gap
    /// is refused with the server's offset. Returns the log's size afterwards.
    public func appendLog(jobID: Int64, epoch: Int64, runner: RunnerIdentity, offset: Int64, bytes: [UInt8])
        throws(CIError) -> Int64
    {
        let path = logPath(jobID)
        return try write { (connection) throws -> Int64 in
            try CIController.checkHolder(connection, jobID: jobID, epoch: epoch, runner: runner)
            let size =
                try connection.queryFirst("SELECT log_size FROM ci_jobs WHERE id = ?", .integer(jobID))?.int(0) ?? 0
            guard offset <= size else {
                throw CIError(
                    .logGap, "the log holds \(size) bytes; an append from \(offset) leaves a gap", offset: size)
            }
            let end = offset + Int64(bytes.count)
            guard end > size else { return size }
            let fresh = bytes[Int(size - offset)...]
            try CIController.append(fresh, toFile: path, at: size)
            try connection.run(
                "UPDATE ci_jobs SET log_size = ?, state = CASE state WHEN 'claimed' THEN 'running' ELSE state END WHERE id = ?",
                .integer(end), .integer(jobID))
            return end
        }
    }

    /// Ends the attempt with the runner's report and its cleanup receipt, then schedules what follows.
    public func complete(
        jobID: Int64, epoch: Int64, runner: RunnerIdentity, state: JobState, exitCode: Int?, cleanup: String?
    ) throws(CIError) {
        guard CIController.reportableStates.contains(state) else {
            throw CIError(.invalidInput, "status must be success, failure, cancelled or timed_out")
        }
        let time = now
        try write { (connection) throws in
            try CIController.checkHolder(connection, jobID: jobID, epoch: epoch, runner: runner)
            try connection.run(
                """
                UPDATE ci_jobs SET state = ?, exit_code = ?, cleanup = ?, finished_at = ?, lease_expires_at = NULL
                WHERE id = ?
                """, .text(state.rawValue), .optional(exitCode.map(Int64.init)), .optional(cleanup), .integer(time),
                .integer(jobID))
            try credentials.revokeJobCredentials(jobID: String(jobID), in: connection)
            if let pipeline = try connection.queryFirst(
                "SELECT pipeline_id FROM ci_jobs WHERE id = ?", .integer(jobID))?.int(0)
            {
                try advance(pipelineID: pipeline, connection: connection)
            }
        }
        waiters.notifyAll()
    }

    /// Requeues jobs whose runner stopped heartbeating (or ends them after the last attempt) and
    /// times out jobs that outlived their timeout.
    func sweep() {
        let time = now
        let ended: [Int64] =
            (try? write { connection in
                var touched: [Int64] = []
                var pipelines: Set<Int64> = []
                let lapsed = try connection.query(
                    """
                    SELECT id, pipeline_id, attempt, started_at, spec FROM ci_jobs
                    WHERE state IN ('claimed', 'running') AND lease_expires_at < ?
                    """, .integer(time))
                for row in lapsed {
                    guard let id = row.int(0), let pipeline = row.int(1) else { continue }
                    if Int(row.int(2) ?? 1) >= options.maxAttempts {
                        try connection.run(
                            """
                            UPDATE ci_jobs SET state = 'error', finished_at = ?, lease_expires_at = NULL, epoch = epoch + 1,
                                reason = 'the runner stopped reporting on the last attempt'
                            WHERE id = ?
                            """, .integer(time), .integer(id))
                    } else {
                        try connection.run(
                            """
                            UPDATE ci_jobs SET state = 'queued', attempt = attempt + 1, epoch = epoch + 1,
                                runner_id = NULL, lease_expires_at = NULL, queued_at = ?,
                                reason = 'requeued: the runner stopped reporting'
                            WHERE id = ?
                            """, .integer(time), .integer(id))
                    }
                    touched.append(id)
                    pipelines.insert(pipeline)
                }
                let overdue = try connection.query(
                    "SELECT id, pipeline_id, started_at, spec FROM ci_jobs WHERE state IN ('claimed', 'running')")
                for row in overdue {
                    guard let id = row.int(0), let pipeline = row.int(1), let started = row.int(2),
                        let spec = JSONDecoder.value(CompiledJob.self, from: row.text(3)),
                        started + Int64(spec.timeoutSeconds) + options.jobLeaseSeconds * 2 < time
                    else { continue }
                    try connection.run(
                        """
                        UPDATE ci_jobs SET state = 'timed_out', finished_at = ?, lease_expires_at = NULL, epoch = epoch + 1,
                            reason = 'the job outlived its timeout'
                        WHERE id = ?
                        """, .integer(time), .integer(id))
                    touched.append(id)
                    pipelines.insert(pipeline)
                }
                for id in touched {
                    try credentials.revokeJobCredentials(jobID: String(id), in: connection)
                }
                for pipeline in pipelines {
                    try advance(pipelineID: pipeline, connection: connection)
                }
                return touched
            }) ?? []
        guard !ended.isEmpty else { return }
        for id in ended {
            logger.warning("job attempt ended by the sweeper; its credentials are revoked", ["job.id": "\(id)"])
        }
        waiters.notifyAll()
    }

    func logPath(_ jobID: Int64) -> String {
        "\(logDirectory)/\(jobID).log"
    }

    /// Refuses calls from anyone but the current holder of the job's current attempt.
    private static func checkHolder(_ connection: Connection, jobID: Int64, epoch: Int64, runner: RunnerIdentity) throws
    {
        guard
            let row = try connection.queryFirst(
                "SELECT state, epoch, runner_id FROM ci_jobs WHERE id = ?", .integer(jobID))
        else {
            throw CIError(.notFound, "no job \(jobID)")
        }
        guard row.int(1) == epoch, row.text(2) == runner.id,
            JobState(rawValue: row.text(0) ?? "")?.isHeld == true
        else {
            throw CIError(.staleEpoch, "epoch \(epoch) of job \(jobID) is no longer current; this attempt has ended")
        }
    }

    private static func append(_ bytes: ArraySlice<UInt8>, toFile path: String, at offset: Int64) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw CIError(.storage, "cannot open the job log") }
        defer { close(descriptor) }
        let written = bytes.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, off_t(offset)) }
        guard written == bytes.count else { throw CIError(.storage, "cannot write the job log") }
    }
}
