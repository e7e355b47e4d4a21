/// A job as the runner receives it from `GET /v1/jobs`: one attempt of one job, with its job token.
///
/// The description leaves the job token out; the token is a credential.
public struct RunnerJob: Sendable, Decodable, CustomStringConvertible {
    /// The repository to check out.
    public struct Repository: Sendable, Decodable {
        public var name: String
        /// May carry credentials; never printed to the log.
        public var cloneURL: String

        enum CodingKeys: String, CodingKey {
            case name
            case cloneURL = "clone_url"
        }
    }

    public var id: Int64
    public var pipelineID: Int64
    public var name: String
    public var attempt: Int
    /// Every call for this attempt carries it; the server answers 409 once the attempt is gone.
    public var epoch: Int64
    /// Leases the job's declared secrets and uploads its artifacts; revoked by the server when the job ends.
    public var jobToken: String
    public var repository: Repository
    public var commit: String
    public var ref: String
    public var env: [String: String]
    /// Environment variable name → secret path.
    public var secrets: [String: String]
    public var steps: [CompiledStep]
    public var artifacts: [ArtifactRule]
    public var timeoutSeconds: Int
    /// The server's job lease, when it says; heartbeats go at a third of it.
    public var leaseSeconds: Int?

    enum CodingKeys: String, CodingKey {
        case id, name, attempt, epoch, commit, ref, env, secrets, steps, artifacts
        case pipelineID = "pipeline"
        case jobToken = "job_token"
        case repository = "repo"
        case timeoutSeconds = "timeout_s"
        case leaseSeconds = "lease_s"
    }

    public var description: String {
        "job \(id) '\(name)' attempt \(attempt) epoch \(epoch) of pipeline \(pipelineID)"
    }
}
