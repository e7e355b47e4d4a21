/// A job handed to a runner: everything it needs to run one attempt.
public struct ClaimedJob: Sendable {
    public let id: Int64
    public let pipelineID: Int64
    public let name: String
    public let attempt: Int
    /// Every later call for this attempt must carry it; a requeue moves it on.
    public let epoch: Int64
    /// The job token: leases exactly the job's declared secrets and uploads its artifacts.
    public let jobToken: String
    public let repository: String
    public let cloneURL: String
    public let commit: String
    public let ref: String
    public let spec: CompiledJob
}
