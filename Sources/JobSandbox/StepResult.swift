/// How a step ended, and what was left of it.
public struct StepResult: Sendable, Equatable {
    /// How the step's first process ended.
    public enum Termination: Sendable, Equatable {
        /// It exited with this status.
        case exited(Int32)
        /// A signal ended it.
        case signalled(Int32)
    }

    /// Why the step ended.
    public enum Ending: Sendable, Equatable {
        /// The step's first process exited on its own.
        case completed
        /// The step ran past its timeout and was ended.
        case timedOut
        /// The caller cancelled it.
        case cancelled
    }

    /// How the step's first process ended.
    public let termination: Termination
    /// Why the step ended.
    public let ending: Ending
    /// Processes of the step still alive after the sandbox ended them; anything but 0 is a leak.
    public let processesLeft: Int
    /// Processes of the step that were still running when its first process ended, or at the timeout or cancel.
    public let processesEnded: Int
    /// Whether the step ran inside bubblewrap or only in its own session.
    public let isolation: StepIsolation
    /// Wall time from spawn to the end of cleanup.
    public let duration: Duration

    /// True when the step completed with exit status 0.
    public var isSuccess: Bool { ending == .completed && termination == .exited(0) }
}
