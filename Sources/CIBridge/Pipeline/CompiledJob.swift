/// One runnable job: a plain job, or one combination of a matrix job.
///
/// Ids: a plain job keeps its key from the file (`build`); a matrix combination is the key followed
/// by its `key: value` pairs in parentheses, dimension keys first: `test (java: 11)`,
/// `test (os: linux, version: 12, npm: 6)`. Job keys are `[A-Za-z_][A-Za-z0-9_-]*`, so an expanded id
/// can never equal a plain one.
public struct CompiledJob: Sendable, Codable, Equatable {
    /// The unique id within the pipeline.
    public var id: String
    /// The job's key in the file; all combinations of one matrix job share it (fail-fast, max-parallel).
    public var group: String
    /// The name to show: `name:` after substitution, else the key, plus `(values)` for a combination.
    public var displayName: String
    /// The matrix combination, or nil for a job without a matrix.
    public var matrix: MatrixCombination?
    /// Labels a runner must all have (`runs-on`); empty means any runner.
    public var labels: [String]
    /// Expanded ids of the jobs that must finish first.
    public var needs: [String]
    /// Workflow env, then job env (job wins), with `${{ }}` substituted.
    public var env: [String: String]
    /// Environment variable name → secret path, leased for the job at claim time.
    public var secrets: [String: String]
    /// The steps, in order.
    public var steps: [CompiledStep]
    /// Files to upload when the job ends.
    public var artifacts: [ArtifactRule]
    /// `timeout-minutes` in seconds (default 360 minutes).
    public var timeoutSeconds: Int
    /// Whether a failure of this job leaves the pipeline (and fail-fast siblings) alone.
    public var continueOnError: Bool
    /// Whether a failed combination cancels its matrix siblings (default true).
    public var failFast: Bool
    /// How many combinations of the group may run at once; nil is no cap.
    public var maxParallel: Int?
    /// The `if:` condition, resolved and folded; evaluate it with the needs' outcomes.
    public var condition: PipelineExpression
    /// The line of the job's key in the file.
    public var line: Int
}

/// One step of a job.
public struct CompiledStep: Sendable, Codable, Equatable {
    /// `name:` after substitution, or `Run <first line of run>`.
    public var name: String
    /// The shell script, after substitution.
    public var run: String
    /// The step's own env after substitution; the runner layers it over the job env.
    public var env: [String: String]
    /// The step's `timeout-minutes` in seconds, or nil for the job's.
    public var timeoutSeconds: Int?
    /// Whether a failure of this step lets the job go on and count as a success.
    public var continueOnError: Bool
    /// The step's `if:`; evaluate it with the outcomes of the earlier steps.
    public var condition: PipelineExpression

    /// Creates a step.
    public init(
        name: String, run: String, env: [String: String] = [:], timeoutSeconds: Int? = nil,
        continueOnError: Bool = false, condition: PipelineExpression = .status(.success)
    ) {
        self.name = name
        self.run = run
        self.env = env
        self.timeoutSeconds = timeoutSeconds
        self.continueOnError = continueOnError
        self.condition = condition
    }
}

/// One `artifacts` entry: files the runner uploads when the job ends.
public struct ArtifactRule: Sendable, Codable, Equatable {
    /// A glob relative to the workspace, such as `dist/*.jar`.
    public var path: String
    /// The artifact name, or nil to use each file's name.
    public var name: String?
    /// `expires-in` in seconds, or nil for the server's retention default.
    public var expiresInSeconds: Int64?

    /// Creates a rule.
    public init(path: String, name: String? = nil, expiresInSeconds: Int64? = nil) {
        self.path = path
        self.name = name
        self.expiresInSeconds = expiresInSeconds
    }
}
