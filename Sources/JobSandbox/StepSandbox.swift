import CProcessShims
import Glibc
import Logging

/// Runs a job's steps in a contained place and makes sure nothing of them is left afterwards.
///
/// Each step gets a clean environment (only what the caller passes), its own session and process
/// group, resource limits, and — where bubblewrap works — new mount, pid, ipc and uts namespaces with
/// the host read-only and only the workspace writable. A timeout or a cancel ends the step's whole
/// process tree, processes that started their own session included: SIGTERM, then SIGKILL after the
/// grace period. `run` blocks its thread; several steps may run at once on different threads.
public struct StepSandbox: Sendable {
    /// What the probe found out about bubblewrap on this host.
    public let bubblewrap: BubblewrapProbe
    private let logger: Logger

    /// A sandbox using `bubblewrap` (by default, the result of probing this host once).
    public init(logger: Logger, bubblewrap: BubblewrapProbe = .current) {
        self.logger = logger
        self.bubblewrap = bubblewrap
    }

    /// Makes this process a child subreaper: orphaned descendants are reparented to it instead of init.
    ///
    /// Call it once at runner start. Escaped step processes then stay children of the runner, which
    /// reaps those it recognises as a step's; steps are found and ended without it too.
    public static func makeRunnerSubreaper() throws(SandboxError) {
        guard vault_become_child_subreaper() == 0 else {
            throw .system(.supervisionFailed, "prctl(PR_SET_CHILD_SUBREAPER)", errno: errno)
        }
    }

    /// Whether this process is a child subreaper.
    public static var isRunnerSubreaper: Bool { vault_is_child_subreaper() == 1 }

    /// Runs `step` to its end and returns how it ended.
    ///
    /// `output` receives the step's standard output and error in chunks, each stream in order, on
    /// the calling thread. It returns after the step's processes are gone (or given up on, as counted
    /// in `processesLeft`) and both pipes are drained.
    public func run(
        _ step: Step,
        cancellation: StepCancellation? = nil,
        output: (StepOutput) -> Void
    ) throws(SandboxError) -> StepResult {
        try validate(step)
        let isolation = try chooseIsolation(for: step)
        let launched = try launch(step, isolation: isolation)
        logger.debug("Step started", ["step.pid": "\(launched.pid)", "step.isolation": "\(isolation)"])
        var supervisor = StepSupervisor(
            step: step, isolation: isolation, launched: launched, cancellation: cancellation)
        let result = try supervisor.run(output: output)
        if result.processesLeft > 0 {
            logger.warning("Step left processes behind", ["processes.left": "\(result.processesLeft)"])
        }
        return result
    }

    private func chooseIsolation(for step: Step) throws(SandboxError) -> StepIsolation {
        switch step.isolation {
        case .sessionOnly:
            return .session
        case .automatic:
            return bubblewrap.isAvailable ? .bubblewrap : .session
        case .requireBubblewrap:
            guard bubblewrap.isAvailable else { throw SandboxError(.bubblewrapUnavailable, bubblewrap.reason) }
            return .bubblewrap
        }
    }

    private func validate(_ step: Step) throws(SandboxError) {
        guard !step.command.argumentVector.isEmpty else {
            throw SandboxError(.invalidStep, "The step has no command.")
        }
        for name in step.environment.keys where name.isEmpty || name.contains("=") || name.contains("\0") {
            throw SandboxError(.invalidStep, "An environment variable name is empty or holds '=' or NUL.")
        }
        let directories = [step.workspace, step.workingDirectory ?? step.workspace] + step.extraWritablePaths
        for directory in directories where !Self.isAbsoluteDirectory(directory) {
            throw SandboxError(.invalidStep, "A workspace or working directory is not an existing absolute directory.")
        }
    }

    private static func isAbsoluteDirectory(_ path: String) -> Bool {
        guard path.hasPrefix("/") else { return false }
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }
}
