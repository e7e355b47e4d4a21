import Foundation

/// The result of running a program to completion.
public struct CommandResult: Sendable {
    public let exitCode: Int32
    public let standardOutput: String
    public let standardError: String
}

/// Runs programs for end-to-end tests: the built `vaultctl`, `git`, `curl`.
public enum CommandRunner {
    /// The built `vaultctl` next to the test bundle, or `$VAULTCTL_BINARY`.
    public static var vaultctlPath: String {
        if let path = ProcessInfo.processInfo.environment["VAULTCTL_BINARY"] { return path }
        let testBinary = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var directory = testBinary.deletingLastPathComponent()
        // On Linux the test runner is `<products>/vaultctlPackageTests.xctest`; elsewhere it sits deeper.
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent("vaultctl").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        return testBinary.deletingLastPathComponent().appendingPathComponent("vaultctl").path
    }

    /// Runs `executable` with `arguments`, feeding `input` on standard input, and waits for it.
    @discardableResult
    public static func run(
        _ executable: String, _ arguments: [String], input: Data? = nil, environment: [String: String] = [:],
        directory: String? = nil
    ) throws -> CommandResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        var merged = ProcessInfo.processInfo.environment
        merged.merge(environment) { _, new in new }
        process.environment = merged
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        let output = Pipe()
        let errors = Pipe()
        let stdin = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = stdin
        try process.run()
        if let input { stdin.fileHandleForWriting.write(input) }
        try stdin.fileHandleForWriting.close()
        let collected = CollectedOutput(output: output, errors: errors)
        process.waitUntilExit()
        return CommandResult(
            exitCode: process.terminationStatus, standardOutput: collected.outputText(),
            standardError: collected.errorText())
    }

    /// Runs the built `vaultctl`.
    @discardableResult
    public static func vaultctl(
        _ arguments: [String], input: String? = nil, environment: [String: String] = [:], directory: String? = nil
    ) throws -> CommandResult {
        try run(
            vaultctlPath, arguments, input: input.map { Data($0.utf8) }, environment: environment, directory: directory)
    }
}

/// Reads both pipes to their end on background threads so neither can fill up and block the child.
private final class CollectedOutput: @unchecked Sendable {
    private var output = Data()
    private var errors = Data()
    private let group = DispatchGroup()

    init(output: Pipe, errors: Pipe) {
        group.enter()
        DispatchQueue.global().async {
            self.output = output.fileHandleForReading.readDataToEndOfFile()
            self.group.leave()
        }
        group.enter()
        DispatchQueue.global().async {
            self.errors = errors.fileHandleForReading.readDataToEndOfFile()
            self.group.leave()
        }
    }

    func outputText() -> String {
        group.wait()
        return String(decoding: output, as: UTF8.self)
    }

    func errorText() -> String {
        group.wait()
        return String(decoding: errors, as: UTF8.self)
    }
}
