import JobSandbox
import Synchronization

/// Why a running job is being stopped, shared between the job's thread, its heartbeat, its log
/// stream and the runner.
final class JobControl: Sendable {
    /// Who stopped the job.
    enum StopReason: Sendable, Hashable {
        /// The server answered a heartbeat with `cancel: true`; `always()` steps still run.
        case serverCancel
        /// The runner is shutting down and its grace period is over; nothing more runs.
        case shutdown
        /// The server answered 409: another attempt owns the job. Nothing more runs and nothing is reported.
        case stale
    }

    private struct State {
        var reasons: Set<StopReason> = []
        var current: StepCancellation?
    }

    private let state = Mutex(State())

    /// Stops the job for `reason`: the running step is cancelled (SIGTERM, then SIGKILL after its grace).
    func stop(_ reason: StopReason) {
        let step = state.withLock { state -> StepCancellation? in
            state.reasons.insert(reason)
            return state.current
        }
        step?.cancel()
    }

    /// A cancellation handle for the next step, already cancelled when the job must not run more.
    func beginStep() -> StepCancellation {
        let cancellation = StepCancellation()
        let isHalted = state.withLock { state in
            state.current = cancellation
            return state.reasons.contains(.shutdown) || state.reasons.contains(.stale)
        }
        if isHalted { cancellation.cancel() }
        return cancellation
    }

    /// The step has ended.
    func endStep() {
        state.withLock { $0.current = nil }
    }

    /// Whether the job was cancelled by the server or by the runner's shutdown.
    var isCancelled: Bool {
        state.withLock { !$0.reasons.isDisjoint(with: [.serverCancel, .shutdown]) }
    }

    /// Whether no further step may run at all.
    var isHalted: Bool {
        state.withLock { !$0.reasons.isDisjoint(with: [.shutdown, .stale]) }
    }

    /// Whether the attempt was taken away: nothing may be reported for it any more.
    var isStale: Bool {
        state.withLock { $0.reasons.contains(.stale) }
    }
}
