/// A failure the CLI reports on standard error, with the exit code of DESIGN §3.
struct CLIError: Error, CustomStringConvertible {
    /// Exit codes: 0 ok, 1 operation failed, 2 usage error, 3 not found, 4 permission denied.
    enum ExitCode: Int32 {
        case failed = 1
        case usage = 2
        case notFound = 3
        case permissionDenied = 4
    }

    let exitCode: ExitCode
    let message: String
    /// Usage text of the command, printed after a usage error.
    var usage: String?

    init(_ exitCode: ExitCode, _ message: String, usage: String? = nil) {
        self.exitCode = exitCode
        self.message = message
        self.usage = usage
    }

    static func usage(_ message: String) -> CLIError {
        CLIError(.usage, message)
    }

    static func failed(_ message: String) -> CLIError {
        CLIError(.failed, message)
    }

    var description: String { message }
}
