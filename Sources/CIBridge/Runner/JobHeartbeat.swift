import Dispatch
import Foundation
import Logging

/// Keeps a job's claim alive from a thread of its own, and passes on what the server answers:
/// `cancel: true` cancels the job, a 409 means the attempt is gone.
///
/// While the server cannot be reached it keeps trying at the same interval: the claim lapses only
/// after a whole lease without a heartbeat, and the server then requeues the job by itself.
final class JobHeartbeat: Sendable {
    private let client: RunnerClient
    private let jobID: Int64
    private let epoch: Int64
    private let interval: Duration
    private let control: JobControl
    private let logger: Logger
    private let stopped = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)

    init(client: RunnerClient, job: RunnerJob, interval: Duration, control: JobControl, logger: Logger) {
        self.client = client
        self.jobID = job.id
        self.epoch = job.epoch
        self.interval = interval
        self.control = control
        self.logger = logger
    }

    /// Starts the heartbeat thread; the first heartbeat goes at once and marks the job running.
    func start() {
        let thread = Thread { [self] in beatUntilStopped() }
        thread.name = "vaultctl.runner.heartbeat.\(jobID)"
        thread.start()
    }

    /// Stops the thread and waits for it.
    func stop() {
        stopped.signal()
        finished.wait()
    }

    private func beatUntilStopped() {
        var announcedCancel = false
        repeat {
            do {
                let cancel = try client.heartbeat(jobID: jobID, epoch: epoch)
                if cancel, !announcedCancel {
                    announcedCancel = true
                    logger.notice("job cancelled by the server", ["job.id": "\(jobID)"])
                    control.stop(.serverCancel)
                }
            } catch {
                if error.code == .staleEpoch || error.code == .notFound {
                    logger.warning("job attempt is no longer current", ["job.id": "\(jobID)"])
                    control.stop(.stale)
                    break
                }
                logger.warning("job heartbeat failed", ["job.id": "\(jobID)", "error": "\(error)"])
            }
        } while stopped.wait(timeout: .now() + interval.dispatchInterval) == .timedOut
        finished.signal()
    }
}
