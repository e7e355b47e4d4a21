import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The server's data directory: created 0700 and locked so two servers never share it.
final class DataDirectory {
    let path: String
    private let lockDescriptor: Int32

    /// Opens (creating) the directory at `path`, kept as an absolute path so that everything
    /// derived from it stays valid whatever directory a child process starts in.
    init(_ path: String) throws(CLIError) {
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        self.path = URL(fileURLWithPath: absolute).standardizedFileURL.path
        do {
            try FileManager.default.createDirectory(
                atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw CLIError.failed("cannot create the data directory \(path): \(error.localizedDescription)")
        }
        let descriptor = open(path + "/server.lock", O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw CLIError.failed("cannot open \(path)/server.lock: \(String(cString: strerror(errno)))")
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(descriptor)
            throw CLIError.failed("another vaultctl server is using the data directory \(path)")
        }
        lockDescriptor = descriptor
    }

    deinit {
        close(lockDescriptor)
    }

    /// A path inside the directory.
    func file(_ name: String) -> String {
        path + "/" + name
    }

    /// Writes `text` to a file of mode 0600, replacing it atomically.
    func writePrivate(_ name: String, _ text: String) throws(CLIError) {
        let target = file(name)
        let temporary = target + ".tmp"
        guard
            FileManager.default.createFile(
                atPath: temporary, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]),
            rename(temporary, target) == 0
        else {
            throw CLIError.failed("cannot write \(target)")
        }
    }

    /// Reads a small text file, trimmed; nil when missing.
    func read(_ name: String) -> String? {
        (try? String(contentsOfFile: file(name), encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
