/// How a job is going, step by step, and the state it ends in. Pure: no I/O, so the rules are testable.
///
/// The first problem decides the state (a failed step → `failure`, a timed-out step → `timed_out`), a
/// cancel overrides everything, and a step with `continue-on-error` that fails counts as a success for
/// later `if:` conditions and for the job.
struct JobOutcome: Sendable, Equatable {
    /// How one step ended, as the runner saw it.
    enum StepEnding: Sendable, Equatable {
        case succeeded
        /// Exited non-zero (or was killed by a signal, reported as 128 + the signal).
        case failed(exitCode: Int)
        case timedOut
        case cancelled
        /// Its `if:` was false.
        case skipped
    }

    /// What the status functions of later steps read.
    private(set) var stepOutcomes: [ConditionStatus.Outcome] = []
    private var problem: JobState?
    private(set) var exitCode: Int?
    private(set) var isCancelled = false

    /// Records a step's end.
    mutating func record(_ ending: StepEnding, continueOnError: Bool) {
        switch ending {
        case .succeeded:
            stepOutcomes.append(.success)
            if exitCode == nil { exitCode = 0 }
        case .failed(let code) where continueOnError:
            stepOutcomes.append(.success)
            if exitCode == nil { exitCode = code }
        case .failed(let code):
            stepOutcomes.append(.failure)
            note(.failure, exitCode: code)
        case .timedOut where continueOnError:
            stepOutcomes.append(.success)
        case .timedOut:
            stepOutcomes.append(.failure)
            note(.timedOut, exitCode: nil)
        case .cancelled:
            stepOutcomes.append(.cancelled)
            isCancelled = true
        case .skipped:
            stepOutcomes.append(.skipped)
        }
    }

    /// A failure of the runner's own work for the job: checkout, leases, artifact uploads.
    mutating func failJob() {
        note(.failure, exitCode: nil)
    }

    /// The job's time ran out between steps.
    mutating func timeOut() {
        note(.timedOut, exitCode: nil)
    }

    /// The job was cancelled (by the server or by the runner's shutdown).
    mutating func cancel() {
        isCancelled = true
    }

    /// Whether no step has failed, timed out or been cancelled so far.
    var isSucceeding: Bool { problem == nil && !isCancelled }

    /// Whether the job's time ran out.
    var hasTimedOut: Bool { problem == .timedOut }

    /// The input for the next step's `if:`.
    var conditionStatus: ConditionStatus {
        ConditionStatus(outcomes: stepOutcomes, isCancelled: isCancelled)
    }

    /// The state to report: `cancelled`, else the first problem, else `success`.
    var state: JobState {
        if isCancelled { return .cancelled }
        return problem ?? .success
    }

    /// The exit code to report: of the first failing step, else of the last step that ran.
    var reportedExitCode: Int? {
        guard let exitCode else { return nil }
        return min(255, max(-1, exitCode))
    }

    private mutating func note(_ state: JobState, exitCode code: Int?) {
        guard problem == nil else { return }
        problem = state
        if let code { exitCode = code }
    }
}
