import Cryptography
import Glibc

/// What `verify` found: every blob file re-hashed and compared with the index.
public struct VerificationReport: Sendable {
    /// Blob files read and hashed.
    public var checkedBlobs = 0
    public var checkedBytes: Int64 = 0
    /// Digests the index records (as a blob or as a live artifact's content) without a file.
    public var missingFiles: [BlobDigest] = []
    /// Files under `blobs/` that no blob row records, by digest.
    public var unrecordedFiles: [BlobDigest] = []
    /// Files whose content no longer hashes to their name.
    public var corruptBlobs: [BlobDigest] = []
    /// Files under `blobs/` whose name is not a digest at all, by path.
    public var strayFiles: [String] = []

    /// Whether nothing is wrong.
    public var isHealthy: Bool {
        missingFiles.isEmpty && unrecordedFiles.isEmpty && corruptBlobs.isEmpty && strayFiles.isEmpty
    }
}

extension ArtifactStore {
    /// Re-hashes every stored blob and compares the files with the index. Changes nothing.
    ///
    /// A file an upload is installing this very moment can show as unrecorded; run it again
    /// before acting on a single unrecorded file.
    public func verify() throws(ArtifactError) -> VerificationReport {
        var report = VerificationReport()
        let recorded = try recordedDigests()
        let referenced = try read { connection in
            Set(try connection.query("SELECT DISTINCT digest FROM artifacts").compactMap { $0.text(0) })
        }
        var present: Set<String> = []
        for file in directory.files() {
            guard let digest = try? BlobDigest(hex: file.name), file.path == directory.path(of: digest) else {
                report.strayFiles.append(file.path)
                continue
            }
            present.insert(digest.hex)
            if !recorded.contains(digest.hex) {
                report.unrecordedFiles.append(digest)
            }
            let (actual, size) = try ArtifactStore.hashFile(file.path)
            report.checkedBlobs += 1
            report.checkedBytes += size
            if actual != digest {
                report.corruptBlobs.append(digest)
            }
        }
        for hex in recorded.union(referenced).subtracting(present).sorted() {
            if let digest = try? BlobDigest(hex: hex) {
                report.missingFiles.append(digest)
            }
        }
        return report
    }

    /// The SHA-256 digest and size of a file, read in 1 MiB pieces.
    static func hashFile(_ path: String) throws(ArtifactError) -> (BlobDigest, Int64) {
        let descriptor = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw ArtifactError.system("open \(path)")
        }
        defer { close(descriptor) }
        let hasher: SHA256Hasher
        do {
            hasher = try SHA256Hasher()
        } catch {
            throw ArtifactError(.storage, "cannot start SHA-256: \(error.reason)")
        }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
        defer { buffer.deallocate() }
        var size: Int64 = 0
        while true {
            let count = Glibc.read(descriptor, buffer.baseAddress, buffer.count)
            if count < 0 {
                if errno == EINTR { continue }
                throw ArtifactError.system("read \(path)")
            }
            if count == 0 { break }
            hasher.update(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
            size += Int64(count)
        }
        return (BlobDigest(bytes: hasher.finalize()), size)
    }
}
