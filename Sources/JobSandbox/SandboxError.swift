import Glibc

/// An error from the step sandbox: starting, watching or ending a step's processes.
///
/// The reason names the failing call and the system's error text; it never holds a step's
/// environment, script or output, since those may carry secrets.
public struct SandboxError: Error, CustomStringConvertible, Equatable {
    /// What kind of failure this is.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String

        private init(_ name: String) { self.name = name }

        /// The step's specification cannot be run (empty argv, relative workspace, bad variable name).
        public static let invalidStep = Code("invalid_step")
        /// The step requires bubblewrap and it cannot run on this host.
        public static let bubblewrapUnavailable = Code("bubblewrap_unavailable")
        /// Creating pipes or spawning the step's first process failed.
        public static let spawnFailed = Code("spawn_failed")
        /// Applying resource limits to the step failed.
        public static let limitsFailed = Code("limits_failed")
        /// Waiting for or reading from the step failed.
        public static let supervisionFailed = Code("supervision_failed")

        public var description: String { name }
    }

    public let code: Code
    public let reason: String
    public let file: String
    public let line: Int

    public init(_ code: Code, _ reason: String, file: String = #fileID, line: Int = #line) {
        self.code = code
        self.reason = reason
        self.file = file
        self.line = line
    }

    /// An error naming the failed system call and `errno`'s text.
    static func system(
        _ code: Code, _ call: String, errno number: Int32, file: String = #fileID, line: Int = #line
    ) -> SandboxError {
        let text = String(cString: strerror(number))
        return SandboxError(code, "\(call) failed: \(text) (errno \(number))", file: file, line: line)
    }

    public var description: String { "sandbox \(code): \(reason)" }

    public static func == (lhs: SandboxError, rhs: SandboxError) -> Bool { lhs.code == rhs.code }
}
