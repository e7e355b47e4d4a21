import CProcessShims
import Glibc

/// Owns one file descriptor and closes it when released, unless it was closed earlier.
final class FileDescriptor {
    private(set) var rawValue: Int32

    init(_ rawValue: Int32) {
        self.rawValue = rawValue
    }

    deinit {
        close()
    }

    var isOpen: Bool { rawValue >= 0 }

    func close() {
        guard rawValue >= 0 else { return }
        _ = Glibc.close(rawValue)
        rawValue = -1
    }

    /// A pipe with both ends close-on-exec, so a step spawned on another thread does not inherit them.
    static func makePipe() throws(SandboxError) -> (read: FileDescriptor, write: FileDescriptor) {
        var ends: [Int32] = [-1, -1]
        let result = ends.withUnsafeMutableBufferPointer { vault_pipe_cloexec($0.baseAddress, 0) }
        guard result == 0 else { throw .system(.spawnFailed, "pipe2", errno: errno) }
        return (FileDescriptor(ends[0]), FileDescriptor(ends[1]))
    }

    /// Reads up to `capacity` bytes; `nil` at end of file, `[]` when interrupted or when it would block.
    func read(upTo capacity: Int) throws(SandboxError) -> [UInt8]? {
        var buffer = [UInt8](repeating: 0, count: capacity)
        let count = buffer.withUnsafeMutableBytes { Glibc.read(rawValue, $0.baseAddress, capacity) }
        if count > 0 { return Array(buffer[0..<count]) }
        if count == 0 { return nil }
        let number = errno
        if number == EINTR || number == EAGAIN { return [] }
        throw .system(.supervisionFailed, "read", errno: number)
    }

    /// Writes all of `bytes`, retrying on interruption; errors are ignored by callers that only wake a peer.
    @discardableResult
    func write(_ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let count = bytes.withUnsafeBytes { Glibc.write(rawValue, $0.baseAddress! + offset, bytes.count - offset) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { return false }
            offset += count
        }
        return true
    }
}
