import Database
import Foundation

extension CIController {
    /// Claims the oldest queued job the runner can take, in one transaction that bumps the job's
    /// epoch and starts its lease; nil when there is none (or the runner is at capacity).
    public func claim(for runner: RunnerIdentity) throws(CIError) -> ClaimedJob? {
        let time = now
        let lease = options.jobLeaseSeconds
        let runnerLabels = Set(runner.labels)
        let claimed: ClaimedJob?? = try write { (connection) throws -> ClaimedJob?? in
            let held =
                try connection.queryFirst(
                    "SELECT count(*) FROM ci_jobs WHERE runner_id = ? AND state IN ('claimed', 'running')",
                    .text(runner.id)
                )?.int(0) ?? 0
            guard held < runner.capacity else { return .some(nil) }
            let candidates = try connection.query(
                "SELECT id, pipeline_id, job_group, spec FROM ci_jobs WHERE state = 'queued' ORDER BY id LIMIT 200")
            for row in candidates {
                guard let id = row.int(0), let pipelineID = row.int(1),
                    let spec = JSONDecoder.value(CompiledJob.self, from: row.text(3)),
                    Set(spec.labels).isSubset(of: runnerLabels)
                else { continue }
                if let cap = spec.maxParallel {
                    let running =
                        try connection.queryFirst(
                            """
                            SELECT count(*) FROM ci_jobs WHERE pipeline_id = ? AND job_group = ?
                            AND state IN ('claimed', 'running')
                            """, .integer(pipelineID), .text(row.text(2) ?? "")
                        )?.int(0) ?? 0
                    if running >= cap { continue }
                }
                guard
                    let updated = try connection.query(
                        """
                        UPDATE ci_jobs SET state = 'claimed', runner_id = ?, epoch = epoch + 1, lease_expires_at = ?,
                            started_at = ?
                        WHERE id = ? AND state = 'queued' RETURNING epoch, attempt, name
                        """, .text(runner.id), .integer(time + lease), .integer(time), .integer(id)
                    ).first
                else { continue }
                guard
                    let pipeline = try connection.queryFirst(
                        """
                        SELECT p.repo, p.ref, p.commit_sha, r.clone_url FROM ci_pipelines p
                        JOIN ci_repos r ON r.name = p.repo WHERE p.id = ?
                        """, .integer(pipelineID))
                else { continue }
                // The job token is issued in the claim's own transaction: a claim never commits without it.
                let token: String
                do {
                    token = try credentials.issueJobToken(
                        jobID: String(id), secretPaths: Array(Set(spec.secrets.values)).sorted(),
                        ttlSeconds: Int64(spec.timeoutSeconds) + options.jobLeaseSeconds * 4, in: connection)
                } catch {
                    throw CIError(.unavailable, "cannot issue the job token: \(error)")
                }
                return .some(
                    ClaimedJob(
                        id: id, pipelineID: pipelineID, name: updated.text(2) ?? spec.id,
                        attempt: Int(updated.int(1) ?? 1), epoch: updated.int(0) ?? 0, jobToken: token,
                        repository: pipeline.text(0) ?? "", cloneURL: pipeline.text(3) ?? "",
                        commit: pipeline.text(2) ?? "",
                        ref: pipeline.text(1) ?? "", spec: spec))
            }
            return .some(nil)
        }
        guard let job = claimed ?? nil else { return nil }
        logger.info("job claimed", ["job.id": "\(job.id)", "job.attempt": "\(job.attempt)"])
        return job
    }

    /// Long-polls: answers with a job as soon as one the runner can take is queued, or with nil
    /// after `seconds`. No thread waits: the answer comes from whoever queues the job.
    public func waitForJob(
        for runner: RunnerIdentity, seconds: Int, answer: @escaping @Sendable (Result<ClaimedJob?, CIError>) -> Void
    ) {
        do {
            if let job = try claim(for: runner) {
                answer(.success(job))
                return
            }
        } catch {
            answer(.failure(error))
            return
        }
        guard seconds > 0 else {
            answer(.success(nil))
            return
        }
        waiters.add(seconds: min(seconds, options.maxWaitSeconds)) { [self] in
            guard let job = try? claim(for: runner) else { return false }
            answer(.success(job))
            return true
        } expire: {
            answer(.success(nil))
        }
    }
}
