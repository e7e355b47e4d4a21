import Foundation
import TestSupport

/// A separately started `vaultctl runner run`, with an environment of the test's choosing and its
/// standard error in a file.
final class RunnerProcess: @unchecked Sendable {
    private let process = Process()
    let logFile: String

    /// Starts `vaultctl runner run --config CONFIG` plus `arguments`, with exactly `environment`.
    init(config: String, arguments: [String] = [], environment: [String: String], logFile: String) throws {
        self.logFile = logFile
        _ = FileManager.default.createFile(atPath: logFile, contents: nil)
        process.executableURL = URL(fileURLWithPath: CommandRunner.vaultctlPath)
        process.arguments = ["runner", "run", "--config", config] + arguments
        process.environment = environment
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle(forWritingAtPath: logFile)
        try process.run()
    }

    deinit {
        kill()
    }

    /// What the runner logged so far.
    var log: String {
        (try? String(contentsOfFile: logFile, encoding: .utf8)) ?? ""
    }

    var isRunning: Bool { process.isRunning }

    /// SIGKILL, as a crash or the OOM killer would end it; waits for the exit.
    func kill() {
        guard process.isRunning else { return }
        Foundation.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// SIGTERM; waits up to `seconds` for the exit and returns the exit status, or nil if it did not exit.
    func terminate(waitingUpTo seconds: Double) -> Int32? {
        guard process.isRunning else { return process.terminationStatus }
        process.terminate()
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        return process.isRunning ? nil : process.terminationStatus
    }
}
