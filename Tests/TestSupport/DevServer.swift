import Foundation

/// `vaultctl server --dev` run as a child process on a free port, as a user would run it.
public final class DevServer: @unchecked Sendable {
    public let directory: String
    public private(set) var address = ""
    public private(set) var rootToken = ""
    private let process = Process()
    private let output = Pipe()
    private let errors = Pipe()
    private let logFile: String

    /// Starts the server with `extraArguments` and waits until its banner shows the address and root token.
    public init(directory: String, extraArguments: [String] = []) throws {
        self.directory = directory
        logFile = directory + "/server.log"
        _ = FileManager.default.createFile(atPath: logFile, contents: nil)
        process.executableURL = URL(fileURLWithPath: CommandRunner.vaultctlPath)
        process.arguments =
            ["server", "--dev", "--listen", "127.0.0.1:0", "--data-dir", directory + "/data"] + extraArguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        process.standardOutput = output
        process.standardError = FileHandle(forWritingAtPath: logFile)
        try process.run()
        try readBanner()
    }

    deinit {
        stop()
    }

    /// Environment variables that point `vaultctl` at this server with the root token.
    public var environment: [String: String] {
        ["VAULTCTL_ADDR": address, "VAULTCTL_TOKEN": rootToken, "HOME": directory]
    }

    /// What the server wrote to standard error so far.
    public var log: String {
        (try? String(contentsOfFile: logFile, encoding: .utf8)) ?? ""
    }

    /// Sends SIGTERM and waits for the exit; returns the exit status.
    @discardableResult
    public func stop() -> Int32 {
        guard process.isRunning else { return process.terminationStatus }
        process.terminate()
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// Sends SIGKILL, as a crash or the OOM killer would end the server, and waits for the exit.
    public func kill() {
        guard process.isRunning else { return }
        Foundation.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    private func readBanner() throws {
        let handle = output.fileHandleForReading
        var text = ""
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline, !text.contains("export VAULTCTL_TOKEN=") || !text.hasSuffix("\n") {
            let chunk = handle.availableData
            if chunk.isEmpty {
                throw DevServerError(message: "the server exited before printing its banner: \(log)")
            }
            text += String(decoding: chunk, as: UTF8.self)
        }
        for line in text.split(separator: "\n") {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("export VAULTCTL_ADDR=") { address = String(trimmed.dropFirst(21)) }
            if trimmed.hasPrefix("export VAULTCTL_TOKEN=") { rootToken = String(trimmed.dropFirst(22)) }
        }
        guard !address.isEmpty, !rootToken.isEmpty else {
            throw DevServerError(message: "no address or token in the banner: \(text)")
        }
        // Keep draining standard output so the server never blocks on a full pipe.
        handle.readabilityHandler = { $0.availableData.isEmpty ? ($0.readabilityHandler = nil) : () }
    }
}

/// The dev server could not be started.
public struct DevServerError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}
