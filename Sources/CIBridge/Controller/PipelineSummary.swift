/// A pipeline as listings show it.
public struct PipelineSummary: Sendable, Equatable {
    public var id: Int64
    public var repository: String
    public var ref: String
    public var commit: String
    public var state: PipelineState
    /// Why it ended in `error` or `skipped`, or was cancelled.
    public var reason: String?
    public var createdAt: Int64
    public var finishedAt: Int64?
}

/// A job as `pipeline show` and `GET /v1/jobs/{id}` show it.
public struct JobSummary: Sendable, Equatable {
    public var id: Int64
    public var pipelineID: Int64
    public var name: String
    public var state: JobState
    public var attempt: Int
    public var epoch: Int64
    public var runnerID: String?
    public var exitCode: Int?
    public var reason: String?
    public var startedAt: Int64?
    public var finishedAt: Int64?
    public var logSize: Int64
    /// The runner's cleanup receipt, as the JSON text it sent.
    public var cleanup: String?
    public var cancelRequested: Bool
}

/// A commit status the controller reports (or has reported) to the Git provider.
public struct CommitStatusRecord: Sendable, Equatable {
    public var context: String
    public var state: CommitStatusState
    public var description: String
    /// When the provider accepted it; nil while it is still being retried.
    public var deliveredAt: Int64?
    public var attempts: Int
    public var lastError: String?
}
