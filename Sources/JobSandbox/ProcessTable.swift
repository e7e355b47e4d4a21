import Glibc

/// Reads the host's processes from `/proc`.
///
/// A snapshot is not atomic: processes come and go while it is read. Callers re-read and compare
/// start times rather than trusting one pass.
enum ProcessTable {
    /// Every process visible in `/proc`, by pid.
    static func snapshot() -> [pid_t: ProcessEntry] {
        var entries: [pid_t: ProcessEntry] = [:]
        for pid in processIDs() {
            if let entry = entry(for: pid) { entries[pid] = entry }
        }
        return entries
    }

    /// The entry of one process, or `nil` once it is gone (or reaped).
    static func entry(for pid: pid_t) -> ProcessEntry? {
        guard let stat = readFile("/proc/\(pid)/stat", limit: 4096) else { return nil }
        return ProcessEntry(stat: stat)
    }

    /// The environment a process was started with (its `execve` environment), one entry per element.
    ///
    /// Empty for zombies, kernel threads and processes this user may not inspect.
    static func environment(of pid: pid_t) -> [[UInt8]] {
        guard let bytes = readFile("/proc/\(pid)/environ", limit: 1 << 20) else { return [] }
        return bytes.split(separator: 0).map(Array.init)
    }

    /// The command line of a process, arguments joined by spaces; empty for zombies.
    static func commandLine(of pid: pid_t) -> String {
        guard let bytes = readFile("/proc/\(pid)/cmdline", limit: 1 << 16) else { return "" }
        let arguments = bytes.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
        return arguments.joined(separator: " ")
    }

    /// The numeric names in `/proc`.
    static func processIDs() -> [pid_t] {
        guard let directory = opendir("/proc") else { return [] }
        defer { closedir(directory) }
        var pids: [pid_t] = []
        while let item = readdir(directory) {
            let name = withUnsafeBytes(of: item.pointee.d_name) { raw in
                String(cString: raw.bindMemory(to: CChar.self).baseAddress!)
            }
            if let pid = Int32(name), pid > 0 { pids.append(pid) }
        }
        return pids
    }

    /// Reads a small file whole; `nil` when it cannot be opened.
    static func readFile(_ path: String, limit: Int) -> [UInt8]? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while bytes.count < limit {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }
            bytes.append(contentsOf: buffer[0..<count])
        }
        return bytes
    }
}
