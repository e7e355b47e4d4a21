import Foundation

/// Bare mirrors of the registered repositories, from which pipeline files are read at a commit.
///
/// Git runs as a child process with a clean environment, no terminal prompts and a time limit;
/// commits and URLs are checked before they reach its argument list.
final class GitMirrors: Sendable {
    let directory: String
    private let timeoutSeconds: Double

    init(directory: String, timeoutSeconds: Double = 120) {
        self.directory = directory
        self.timeoutSeconds = timeoutSeconds
    }

    /// The file at `path` in `commit`, fetching into the mirror first when the commit is missing;
    /// nil when the commit has no such file.
    func file(_ path: String, commit: String, repository: String, cloneURL: String) throws(CIError) -> [UInt8]? {
        guard GitMirrors.isCommit(commit) else {
            throw CIError(.invalidInput, "'\(commit.prefix(80))' is not a commit id")
        }
        guard !cloneURL.hasPrefix("-"), !cloneURL.isEmpty else {
            throw CIError(.invalidInput, "the clone URL of \(repository) is not usable")
        }
        let mirror = directory + "/" + repository.replacingOccurrences(of: "/", with: "__") + ".git"
        if !FileManager.default.fileExists(atPath: mirror + "/HEAD") {
            try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try? FileManager.default.removeItem(atPath: mirror)
            try git(["clone", "--mirror", "--quiet", "--", cloneURL, mirror], what: "cloning \(repository)")
        }
        if (try? git(["-C", mirror, "cat-file", "-e", commit + "^{commit}"], what: "")) == nil {
            try git(["-C", mirror, "fetch", "--quiet", "--prune", "origin"], what: "fetching \(repository)")
        }
        guard (try? git(["-C", mirror, "cat-file", "-e", commit + "^{commit}"], what: "")) != nil else {
            throw CIError(.notFound, "commit \(commit) is not in \(repository)")
        }
        let result = try run(["-C", mirror, "show", commit + ":" + path])
        return result.status == 0 ? result.output : nil
    }

    /// Forty (SHA-1) or sixty-four (SHA-256) lower-case hex digits.
    static func isCommit(_ text: String) -> Bool {
        (text.count == 40 || text.count == 64)
            && text.utf8.allSatisfy { ($0 >= 48 && $0 <= 57) || ($0 >= 97 && $0 <= 102) }
    }

    @discardableResult
    private func git(_ arguments: [String], what: String) throws(CIError) -> [UInt8] {
        let result = try run(arguments)
        guard result.status == 0 else {
            let detail = String(decoding: result.errors.prefix(400), as: UTF8.self)
                .trimmingCharacters(in: .whitespacesAndNewlines)
            throw CIError(.unavailable, "git failed \(what): \(detail)")
        }
        return result.output
    }

    private func run(_ arguments: [String]) throws(CIError) -> (status: Int32, output: [UInt8], errors: [UInt8]) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/git")
        process.arguments = arguments
        process.environment = [
            "PATH": "/usr/bin:/bin", "GIT_TERMINAL_PROMPT": "0", "HOME": directory, "GIT_CONFIG_NOSYSTEM": "1",
            "LC_ALL": "C",
        ]
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw CIError(.unavailable, "cannot run git: \(error.localizedDescription)")
        }
        let collected = DispatchGroup()
        let buffers = PipeBuffers()
        for (pipe, index) in [(output, 0), (errors, 1)] {
            collected.enter()
            DispatchQueue.global().async {
                buffers.set(index, Array(pipe.fileHandleForReading.readDataToEndOfFile()))
                collected.leave()
            }
        }
        if collected.wait(timeout: .now() + timeoutSeconds) == .timedOut {
            process.terminate()
            collected.wait()
            process.waitUntilExit()
            throw CIError(.unavailable, "git did not finish within \(Int(timeoutSeconds)) seconds")
        }
        process.waitUntilExit()
        return (process.terminationStatus, buffers.get(0), buffers.get(1))
    }
}

/// The two output buffers of a child process, filled from reader threads.
private final class PipeBuffers: @unchecked Sendable {
    private let lock = NSLock()
    private var buffers: [[UInt8]] = [[], []]

    func set(_ index: Int, _ bytes: [UInt8]) {
        lock.withLock { buffers[index] = bytes }
    }

    func get(_ index: Int) -> [UInt8] {
        lock.withLock { buffers[index] }
    }
}
