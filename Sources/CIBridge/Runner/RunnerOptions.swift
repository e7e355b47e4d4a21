import JobSandbox

/// How a runner runs jobs; the defaults suit a runner beside a server with a 30-second job lease.
public struct RunnerOptions: Sendable {
    /// How long one `GET /v1/jobs` long poll waits.
    public var pollWaitSeconds: Int
    /// How often each job is heartbeated when the server does not say its lease (`lease_s`); a third
    /// of the server's `--job-lease-ttl` is right.
    public var heartbeatInterval: Duration
    /// After SIGTERM, how long running jobs may go on before they are cancelled.
    public var shutdownGrace: Duration
    /// Between SIGTERM and SIGKILL when a step is ended.
    public var stepGrace: Duration
    /// Whether steps run inside bubblewrap.
    public var isolation: IsolationPreference
    /// Resource limits for every process of a step.
    public var limits: ResourceLimits
    /// Directories steps must not see (under bubblewrap): the runner's configuration directory, the
    /// runner user's home, and for the bundled runner the server's data directory.
    public var hiddenPaths: [String] = []

    /// Creates options.
    public init(
        pollWaitSeconds: Int = 30, heartbeatInterval: Duration = .seconds(10), shutdownGrace: Duration = .seconds(60),
        stepGrace: Duration = .seconds(10), isolation: IsolationPreference = .automatic,
        limits: ResourceLimits = ResourceLimits()
    ) {
        self.pollWaitSeconds = pollWaitSeconds
        self.heartbeatInterval = heartbeatInterval
        self.shutdownGrace = shutdownGrace
        self.stepGrace = stepGrace
        self.isolation = isolation
        self.limits = limits
    }
}
