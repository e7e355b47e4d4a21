import Foundation

/// One job's fresh directory under the runner's work directory: the checkout, and inside it the
/// runner's own corner (`.vault-runner/`) holding the job's `HOME` and `TMPDIR` (with the secret files).
///
/// `HOME` and `TMPDIR` are unique per job, which the sandbox relies on to recognise processes of the
/// job that left its process tree. Everything is removed by `remove()`, whatever the job did.
struct JobWorkspace: Sendable {
    /// Job directories start with it, so a restarted runner finds those a crash left behind.
    static let prefix = "job-"
    /// The runner's corner inside the checkout; excluded from git status and from artifacts.
    static let runnerDirectory = ".vault-runner"

    /// The checkout and the steps' working directory (`CI_WORKSPACE`).
    let root: String

    var home: String { root + "/" + Self.runnerDirectory + "/home" }
    var temporary: String { root + "/" + Self.runnerDirectory + "/tmp" }
    var secrets: String { temporary + "/secrets" }

    /// Makes `WORK/job-<id>-<attempt>-<random>` with its home and temporary directories, all mode 0700.
    static func create(in workDirectory: String, job: RunnerJob) throws(CIError) -> JobWorkspace {
        let manager = FileManager.default
        let suffix = String(UInt32.random(in: 0...UInt32.max), radix: 16)
        let workspace = JobWorkspace(root: "\(workDirectory)/\(prefix)\(job.id)-\(job.attempt)-\(suffix)")
        do {
            try manager.createDirectory(
                atPath: workDirectory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            try manager.createDirectory(atPath: workspace.root, withIntermediateDirectories: false)
            chmod(workspace.root, 0o700)
            for directory in [
                workspace.root, workspace.root + "/" + runnerDirectory, workspace.home,
                workspace.temporary, workspace.secrets,
            ] {
                try manager.createDirectory(
                    atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            }
        } catch {
            throw CIError(
                .storage, "cannot create the job workspace under \(workDirectory): \(error.localizedDescription)")
        }
        return workspace
    }

    /// Writes a secret to a file of mode 0600 in the secrets directory; returns its path.
    func writeSecret(named name: String, value: String) throws(CIError) -> String {
        let path = secrets + "/" + name
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard descriptor >= 0 else { throw CIError(.storage, "cannot create the secret file for \(name)") }
        defer { close(descriptor) }
        let bytes = Array(value.utf8)
        let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        guard written == bytes.count else { throw CIError(.storage, "cannot write the secret file for \(name)") }
        return path
    }

    /// Hides the runner's corner from `git status` in the checkout.
    func excludeRunnerDirectoryFromGit() {
        let exclude = root + "/.git/info/exclude"
        try? FileManager.default.createDirectory(
            atPath: root + "/.git/info", withIntermediateDirectories: true)
        let existing = (try? String(contentsOfFile: exclude, encoding: .utf8)) ?? ""
        try? (existing + "/" + Self.runnerDirectory + "/\n").write(toFile: exclude, atomically: true, encoding: .utf8)
    }

    /// Deletes the workspace; returns whether it is gone.
    @discardableResult
    func remove() -> Bool {
        Self.removeTree(root)
    }

    /// Deletes job directories a crashed runner left in `workDirectory`; returns how many there were.
    static func removeLeftovers(in workDirectory: String) -> Int {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: workDirectory)) ?? []
        var removed = 0
        for entry in entries where entry.hasPrefix(prefix) {
            if removeTree(workDirectory + "/" + entry) { removed += 1 }
        }
        return removed
    }

    /// Removes a tree even where a job took away write permission from its own directories.
    private static func removeTree(_ path: String) -> Bool {
        let manager = FileManager.default
        var info = stat()
        guard lstat(path, &info) == 0 else { return errno == ENOENT }
        if (try? manager.removeItem(atPath: path)) != nil { return true }
        makeWritable(path)
        try? manager.removeItem(atPath: path)
        return lstat(path, &info) != 0 && errno == ENOENT
    }

    /// Gives the owner full rights on every directory of the tree, without following symbolic links.
    private static func makeWritable(_ path: String) {
        var info = stat()
        guard lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR else { return }
        chmod(path, 0o700)
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? [] {
            makeWritable(path + "/" + entry)
        }
    }
}
