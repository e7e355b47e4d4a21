import Foundation

/// What `vaultctl runner register` writes and `vaultctl runner run` reads: where the server is, the
/// runner's identity and its credential.
///
/// The file holds the runner token, so it is written with mode 0600 and never printed; the
/// description leaves the token out.
public struct RunnerConfiguration: Sendable, Codable, Equatable, CustomStringConvertible {
    /// The server's base URL, such as `http://127.0.0.1:8270`.
    public var url: String
    /// The id the server gave the runner at registration.
    public var runnerID: String
    /// The runner token: authenticates every job call. Never given to a job.
    public var token: String
    /// The name the runner registered under.
    public var name: String
    /// The runner's labels; a job runs here only when its `runs-on` labels are all among them.
    public var labels: [String]
    /// How many jobs the runner runs at once.
    public var capacity: Int
    /// Where job workspaces are made, one fresh directory per job.
    public var workDirectory: String

    enum CodingKeys: String, CodingKey {
        case url, token, name, labels, capacity
        case runnerID = "runner_id"
        case workDirectory = "work_dir"
    }

    /// Creates a configuration.
    public init(
        url: String, runnerID: String, token: String, name: String, labels: [String], capacity: Int,
        workDirectory: String
    ) {
        self.url = url
        self.runnerID = runnerID
        self.token = token
        self.name = name
        self.labels = labels
        self.capacity = capacity
        self.workDirectory = workDirectory
    }

    /// `~/.vaultctl/runner.json`.
    public static var defaultPath: String {
        homeDirectory + "/.vaultctl/runner.json"
    }

    /// `~/.vaultctl/runner-work`.
    public static var defaultWorkDirectory: String {
        homeDirectory + "/.vaultctl/runner-work"
    }

    public var description: String {
        "runner \(name) (\(runnerID)) at \(url), labels \(labels), capacity \(capacity), work dir \(workDirectory)"
    }

    /// Reads a configuration written by `save(to:)`.
    public static func load(from path: String) throws(CIError) -> RunnerConfiguration {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CIError(.notFound, "cannot read the runner configuration \(path); run 'vaultctl runner register'")
        }
        guard let configuration = try? JSONDecoder().decode(RunnerConfiguration.self, from: data) else {
            throw CIError(.invalidInput, "\(path) is not a runner configuration")
        }
        return configuration
    }

    /// Writes the configuration with mode 0600 (its directory 0700), replacing any file atomically.
    ///
    /// The temporary file is created with mode 0600 from the start, so the token is never readable by others.
    public func save(to path: String) throws(CIError) {
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            try? FileManager.default.createDirectory(
                atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(self) else {
            throw CIError(.invalidInput, "the runner configuration cannot be encoded")
        }
        let temporary = path + ".tmp"
        unlink(temporary)
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw CIError(.storage, "cannot create \(temporary): \(String(cString: strerror(errno)))")
        }
        let bytes = Array(data) + [UInt8(ascii: "\n")]
        let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        let synced = fsync(descriptor) == 0
        close(descriptor)
        guard written == bytes.count, synced, rename(temporary, path) == 0 else {
            unlink(temporary)
            throw CIError(.storage, "cannot write the runner configuration \(path)")
        }
    }

    private static var homeDirectory: String {
        ProcessInfo.processInfo.environment["HOME"] ?? FileManager.default.homeDirectoryForCurrentUser.path
    }
}
