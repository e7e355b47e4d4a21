import Foundation
import JobSandbox
import Logging

/// One attempt of one job on this runner, from the claim to the completion, on one thread.
///
/// The order: workspace, secret leases, checkout, steps, artifacts; then, whatever happened, the
/// cleanup (processes, workspace, leases) and the completion with its receipt. A 409 from the server
/// at any point means another attempt owns the job: the work stops, the cleanup still runs, and
/// nothing is reported. `run()` must be called on a thread that lives until it returns, since
/// bubblewrap ties `--die-with-parent` to the thread that started the step.
struct JobExecution {
    let job: RunnerJob
    let client: RunnerClient
    let sandbox: StepSandbox
    let options: RunnerOptions
    let control: JobControl
    let runnerName: String
    let workDirectory: String
    let logger: Logger

    /// What the run left to clean up and report.
    final class Progress {
        var outcome = JobOutcome()
        var workspace: JobWorkspace?
        var environment: JobEnvironment?
        var leases: [SecretLease] = []
        var processesLeft = 0
        var automaton = MaskingAutomaton(secrets: [])
    }

    /// Whether the steps run inside bubblewrap.
    var usesBubblewrap: Bool {
        switch options.isolation {
        case .sessionOnly: false
        case .automatic, .requireBubblewrap: sandbox.bubblewrap.isAvailable
        }
    }

    /// Runs the attempt to its end and reports it (unless it went stale).
    func run() {
        let started = ContinuousClock.now
        let deadline = started + .seconds(job.timeoutSeconds)
        let log = JobLogStream(client: client, job: job, control: control, logger: logger)
        let interval = job.leaseSeconds.map { Duration.seconds(max(1, $0)) / 3 } ?? options.heartbeatInterval
        let heartbeat = JobHeartbeat(client: client, job: job, interval: interval, control: control, logger: logger)
        log.start()
        heartbeat.start()
        let progress = Progress()
        log.line(
            "==> job \(job.name) (job \(job.id), attempt \(job.attempt), pipeline \(job.pipelineID)) on runner "
                + "\(runnerName), \(usesBubblewrap ? "inside bubblewrap" : "without bubblewrap (session only)")")
        do {
            try prepare(progress, log: log, deadline: deadline)
            runSteps(progress, log: log, deadline: deadline)
            if !control.isHalted, !progress.outcome.hasTimedOut {
                uploadArtifacts(progress, log: log)
            }
        } catch {
            log.line("==> \(error.reason)")
            progress.outcome.failJob()
        }
        if control.isCancelled { progress.outcome.cancel() }
        let receipt = cleanUp(progress, log: log)
        let state = progress.outcome.state
        log.line("==> job finished: \(state.rawValue)")
        log.finish(within: .seconds(70))
        if control.isStale {
            logger.warning("job attempt ended elsewhere; not reported", ["job.id": "\(job.id)"])
        } else {
            report(state, exitCode: progress.outcome.reportedExitCode, receipt: receipt)
        }
        heartbeat.stop()
        let elapsed = ContinuousClock.now - started
        logger.info(
            "job finished",
            [
                "job.id": "\(job.id)", "job.state": state.rawValue,
                "job.duration_ms": String(format: "%.1f", elapsed.seconds * 1000),
            ])
    }

    /// The workspace, the leases and the checkout.
    private func prepare(_ progress: Progress, log: JobLogStream, deadline: ContinuousClock.Instant) throws(CIError) {
        let workspace = try JobWorkspace.create(in: workDirectory, job: job)
        progress.workspace = workspace
        var environment = JobEnvironment(job: job, workspace: workspace)
        if !job.secrets.isEmpty {
            let paths = Array(Set(job.secrets.values)).sorted()
            let ttl = min(Int64(job.timeoutSeconds) + 300, 86_400)
            progress.leases = try client.lease(paths, ttlSeconds: ttl, jobToken: job.jobToken)
            let values = Dictionary(progress.leases.map { ($0.path, $0.value) }) { first, _ in first }
            for (name, path) in job.secrets.sorted(by: { $0.key < $1.key }) {
                guard let value = values[path] else {
                    throw CIError(.notFound, "the server leased no value for the secret \(path)")
                }
                environment.secrets[name] = value
                environment.secretFiles[name] = try workspace.writeSecret(named: name, value: value)
            }
            progress.automaton = MaskingAutomaton(secrets: progress.leases.map { Array($0.value.utf8) })
            log.line("==> leased \(paths.count) secret(s): \(paths.joined(separator: ", "))")
        }
        progress.environment = environment
        try checkOut(progress, log: log, deadline: deadline)
    }

    /// Kills what is left, deletes the workspace, revokes the leases.
    private func cleanUp(_ progress: Progress, log: JobLogStream) -> CleanupReceipt {
        var revoked = true
        for lease in progress.leases {
            do {
                try client.revokeLease(lease.id, jobToken: job.jobToken)
            } catch {
                revoked = false
                logger.warning("lease could not be revoked", ["job.id": "\(job.id)", "lease.path": lease.path])
            }
        }
        let removed = progress.workspace?.remove() ?? true
        let receipt = CleanupReceipt(
            processesLeft: progress.processesLeft, workspaceRemoved: removed, leasesRevoked: revoked,
            bubblewrap: usesBubblewrap)
        log.line(
            "==> cleanup: processes left \(receipt.processesLeft), workspace removed \(removed), "
                + "\(progress.leases.count) lease(s) revoked \(revoked)")
        return receipt
    }

    /// Completes the attempt, retrying while the server cannot be reached.
    private func report(_ state: JobState, exitCode: Int?, receipt: CleanupReceipt) {
        var backoff = RetryBackoff(base: .milliseconds(500), ceiling: .seconds(10))
        let giveUp = ContinuousClock.now + .seconds(120)
        while true {
            do {
                try client.complete(
                    jobID: job.id, epoch: job.epoch, status: state, exitCode: exitCode, receipt: receipt)
                return
            } catch {
                if error.code == .staleEpoch || error.code == .notFound || error.code == .invalidInput
                    || ContinuousClock.now >= giveUp
                {
                    logger.error("job completion was refused", ["job.id": "\(job.id)", "error": "\(error)"])
                    return
                }
                logger.warning("job completion failed; retrying", ["job.id": "\(job.id)", "error": "\(error)"])
                Thread.sleep(forTimeInterval: backoff.nextDelay().seconds)
            }
        }
    }
}
