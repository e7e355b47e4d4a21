import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Standard streams and the terminal: prompts without echo, and knowing when output is piped.
enum Terminal {
    /// Whether standard input is a terminal.
    static var isInputInteractive: Bool { isatty(STDIN_FILENO) == 1 }

    /// Whether standard output is a terminal.
    static var isOutputInteractive: Bool { isatty(STDOUT_FILENO) == 1 }

    /// Reads one line from the terminal with echo off; the typed text never shows.
    static func readHidden(prompt: String) throws(CLIError) -> String {
        FileHandle.standardError.write(Data(prompt.utf8))
        var saved = termios()
        guard tcgetattr(STDIN_FILENO, &saved) == 0 else {
            throw CLIError.failed("cannot read the terminal's settings")
        }
        var hidden = saved
        hidden.c_lflag &= ~tcflag_t(ECHO)
        guard tcsetattr(STDIN_FILENO, TCSAFLUSH, &hidden) == 0 else {
            throw CLIError.failed("cannot turn off the terminal's echo")
        }
        defer {
            tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved)
            FileHandle.standardError.write(Data("\n".utf8))
        }
        return readLine(strippingNewline: true) ?? ""
    }

    /// Reads all of standard input.
    static func readAllInput() -> [UInt8] {
        Array(FileHandle.standardInput.readDataToEndOfFile())
    }

    /// Writes text to standard output as is.
    static func write(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    /// Writes a line to standard error.
    static func writeError(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }
}
