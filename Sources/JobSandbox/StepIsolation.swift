/// How a step is contained.
public enum StepIsolation: Sendable, Equatable {
    /// Inside bubblewrap: new mount, pid, ipc and uts namespaces, the host read-only, the workspace writable.
    case bubblewrap
    /// Only its own session and process group, a clean environment and resource limits.
    case session
}
