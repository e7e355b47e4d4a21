/// Everything needed to run one step: what, where, with which environment and for how long.
public struct Step: Sendable {
    /// What to run.
    public var command: StepCommand
    /// The job's workspace, an absolute path; the only writable place under bubblewrap.
    public var workspace: String
    /// The working directory, an absolute path; the workspace when `nil`.
    public var workingDirectory: String?
    /// The whole environment of the step. Nothing of the runner's own environment is added.
    ///
    /// Set `HOME` and `TMPDIR` (inside the workspace); together they also identify processes of the
    /// step that escaped its process tree, so keep them unique per job.
    public var environment: [String: String]
    /// Resource limits for every process of the step.
    public var limits: ResourceLimits
    /// How long the step may run; `nil` for no limit.
    public var timeout: Duration?
    /// How long processes get between SIGTERM and SIGKILL.
    public var gracePeriod: Duration
    /// Whether to use bubblewrap.
    public var isolation: IsolationPreference
    /// More paths writable under bubblewrap, besides the workspace.
    public var extraWritablePaths: [String]
    /// Directories hidden from the step under bubblewrap: each is replaced by an empty tmpfs, so
    /// credentials beside the runner (its configuration, a server's data directory) stay out of reach.
    /// A workspace inside one of them is bound back in. Without bubblewrap nothing can be hidden.
    public var hiddenPaths: [String]

    public init(
        command: StepCommand,
        workspace: String,
        workingDirectory: String? = nil,
        environment: [String: String],
        limits: ResourceLimits = ResourceLimits(),
        timeout: Duration? = nil,
        gracePeriod: Duration = .seconds(10),
        isolation: IsolationPreference = .automatic,
        extraWritablePaths: [String] = [],
        hiddenPaths: [String] = []
    ) {
        self.command = command
        self.workspace = workspace
        self.workingDirectory = workingDirectory
        self.environment = environment
        self.limits = limits
        self.timeout = timeout
        self.gracePeriod = gracePeriod
        self.isolation = isolation
        self.extraWritablePaths = extraWritablePaths
        self.hiddenPaths = hiddenPaths
    }
}
