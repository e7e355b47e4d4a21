/// What a step runs: a shell script or an argument vector.
public enum StepCommand: Sendable, Equatable {
    /// `/bin/sh -e -c SCRIPT`: the shell stops at the first failing command.
    case script(String)
    /// An executable and its arguments; the executable is looked up in the step's own `PATH`.
    case arguments([String])

    /// The argument vector handed to the limits gate, which `exec`s it.
    var argumentVector: [String] {
        switch self {
        case .script(let script): ["/bin/sh", "-e", "-c", script]
        case .arguments(let arguments): arguments
        }
    }
}
