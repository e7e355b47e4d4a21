#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Owns an open file descriptor and closes it on release.
final class OwnedFile {
    let descriptor: Int32
    let path: String

    private init(descriptor: Int32, path: String) {
        self.descriptor = descriptor
        self.path = path
    }

    deinit {
        close(descriptor)
    }

    /// Opens a regular file for reading and returns it with its size.
    static func openForReading(_ path: String) throws(HTTPClientError) -> (file: OwnedFile, size: Int64) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw HTTPClientError(.io, "cannot open \(path): \(errorText(errno))")
        }
        let file = OwnedFile(descriptor: descriptor, path: path)
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            throw HTTPClientError(.io, "cannot stat \(path): \(errorText(errno))")
        }
        guard (status.st_mode & S_IFMT) == S_IFREG else {
            throw HTTPClientError(.io, "\(path) is not a regular file")
        }
        return (file, Int64(status.st_size))
    }

    /// Creates or truncates `path` for writing; a new file gets mode 0600.
    static func createForWriting(_ path: String) throws(HTTPClientError) -> OwnedFile {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw HTTPClientError(.io, "cannot create \(path): \(errorText(errno))")
        }
        return OwnedFile(descriptor: descriptor, path: path)
    }

    /// Reads up to `buffer.count` bytes; returns the count, 0 at end of file.
    func readSome(into buffer: UnsafeMutableRawBufferPointer) throws(HTTPClientError) -> Int {
        while true {
            let count = read(descriptor, buffer.baseAddress, buffer.count)
            if count >= 0 {
                return count
            }
            guard errno == EINTR else {
                throw HTTPClientError(.io, "cannot read \(path): \(Self.errorText(errno))")
            }
        }
    }

    /// Writes all of `bytes`, retrying short writes.
    func writeAll(_ bytes: UnsafeRawBufferPointer) throws(HTTPClientError) {
        var offset = 0
        while offset < bytes.count {
            let count = write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if count > 0 {
                offset += count
            } else if count < 0 && errno == EINTR {
                continue
            } else {
                throw HTTPClientError(.io, "cannot write \(path): \(Self.errorText(errno))")
            }
        }
    }

    /// Moves the read position to `offset` from the start; returns whether that worked.
    func seek(to offset: Int64) -> Bool {
        lseek(descriptor, off_t(offset), SEEK_SET) >= 0
    }

    /// The C library's text for an `errno` value.
    static func errorText(_ code: Int32) -> String {
        String(cString: strerror(code))
    }
}
