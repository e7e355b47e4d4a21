/// Where a job stands. `blocked → queued → claimed → running → success | failure | cancelled |
/// timed_out | skipped | error`; a lapsed claim goes back to `queued` with the next attempt.
public enum JobState: String, Sendable, Codable, CaseIterable {
    case blocked, queued, claimed, running, success, failure, cancelled
    case timedOut = "timed_out"
    case skipped, error

    /// Whether the job has ended for good.
    public var isFinal: Bool {
        switch self {
        case .blocked, .queued, .claimed, .running: false
        case .success, .failure, .cancelled, .timedOut, .skipped, .error: true
        }
    }

    /// Whether a runner holds the job.
    public var isHeld: Bool { self == .claimed || self == .running }

    /// The commit status a provider is told for this final state.
    public var commitStatus: CommitStatusState {
        switch self {
        case .success, .skipped: .success
        case .failure, .timedOut, .cancelled: .failure
        case .error: .error
        case .blocked, .queued, .claimed, .running: .pending
        }
    }
}

/// Where a pipeline stands.
public enum PipelineState: String, Sendable, Codable {
    /// Accepted from a webhook; the file is being read and compiled.
    case pending
    case running, success, failure, cancelled, error
    /// The push did not match the pipeline's `on.push` filters.
    case skipped

    public var isFinal: Bool { self != .pending && self != .running }
}

/// A commit status as Git providers know it.
public enum CommitStatusState: String, Sendable, Codable {
    case pending, success, failure, error
}
