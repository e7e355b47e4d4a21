import Cryptography
import Dispatch
import Glibc
import Synchronization

/// One file of an upload on its way in: written to a temporary file and hashed as it arrives.
///
/// Every `flushInterval` bytes a background flush pushes what was written so far to disk, so the
/// fsync before the rename finds little left to write and the upload is not held up by it.
/// Not thread-safe: an upload session uses it only under its own lock, which is what makes the
/// unchecked `Sendable` sound.
final class BlobWriter: @unchecked Sendable {
    let path: String
    private let descriptor: Int32
    private let hasher: SHA256Hasher
    private let flusher = BackgroundFlush()
    private let flushInterval: Int64
    private(set) var size: Int64 = 0
    private var unflushed: Int64 = 0
    private var isClosed = false
    /// Set once the file has been renamed into the blob directory; it is no longer ours to remove.
    private var isInstalled = false

    init(in directory: BlobDirectory, flushInterval: Int64) throws(ArtifactError) {
        do {
            hasher = try SHA256Hasher()
        } catch {
            throw ArtifactError(.storage, "cannot start SHA-256: \(error.reason)")
        }
        (descriptor, path) = try directory.makeTemporaryFile()
        self.flushInterval = flushInterval
    }

    deinit {
        close()
    }

    /// Hashes and writes `bytes`.
    func write(_ bytes: UnsafeRawBufferPointer) throws(ArtifactError) {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
        hasher.update(bytes)
        var offset = 0
        while offset < bytes.count {
            let written = Glibc.write(descriptor, base + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                throw ArtifactError.system("write an upload to \(path)")
            }
            offset += written
        }
        size += Int64(bytes.count)
        unflushed += Int64(bytes.count)
        if unflushed >= flushInterval, flusher.start(descriptor) {
            unflushed = 0
        }
    }

    /// The digest of everything written; call once, after the last write.
    func finishDigest() -> BlobDigest {
        BlobDigest(bytes: hasher.finalize())
    }

    /// Makes the written bytes durable.
    func sync() throws(ArtifactError) {
        flusher.wait()
        guard fsync(descriptor) == 0 else {
            throw ArtifactError.system("sync \(path)")
        }
    }

    /// Closes the file, keeping it; waits for a background flush first, since it uses the descriptor.
    func close() {
        guard !isClosed else { return }
        isClosed = true
        flusher.wait()
        Glibc.close(descriptor)
    }

    /// Records that the file now lives under its digest.
    func markInstalled() {
        isInstalled = true
    }

    /// Closes and removes the temporary file, unless it was installed; safe to call repeatedly.
    func discard() {
        close()
        if !isInstalled {
            isInstalled = true
            unlink(path)
        }
    }
}

/// At most one `fdatasync` in flight on a utility queue.
private final class BackgroundFlush: Sendable {
    private let isRunning = Atomic<Bool>(false)
    private let group = DispatchGroup()

    /// Starts a flush of `descriptor` unless one is running; returns whether it started.
    func start(_ descriptor: Int32) -> Bool {
        guard isRunning.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged
        else { return false }
        group.enter()
        DispatchQueue.global(qos: .utility).async { [self] in
            // Errors surface at the final fsync, which is checked.
            _ = fdatasync(descriptor)
            isRunning.store(false, ordering: .releasing)
            group.leave()
        }
        return true
    }

    /// Waits until no flush is running.
    func wait() {
        group.wait()
    }
}
