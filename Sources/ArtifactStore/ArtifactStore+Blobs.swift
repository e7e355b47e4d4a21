import Database
import Glibc

extension ArtifactStore {
    private enum InstallOutcome {
        case present
        case installed(shard: String)
        case needsSync
    }

    /// Puts a finished writer's file in place as `digest`, unless that blob is stored already,
    /// and pins the digest; the caller writes the rows and then calls `unpin`.
    ///
    /// The existence check and the rename happen under the pin lock, so collection cannot remove
    /// a blob between "it is there" and the pin. A file is fsynced before it is renamed, so a blob
    /// name never stands for incomplete content, even after a crash.
    func install(_ writer: BlobWriter, as digest: BlobDigest) throws(ArtifactError) {
        var isSynced = false
        while true {
            if !isSynced, !directory.contains(digest) {
                try writer.sync()
                isSynced = true
            }
            let synced = isSynced
            let outcome = try pins.withLock { (pins) throws(ArtifactError) -> InstallOutcome in
                if directory.contains(digest) {
                    pins[digest, default: 0] += 1
                    return .present
                }
                guard synced else { return .needsSync }
                writer.close()
                let shard = try directory.install(writer.path, as: digest)
                writer.markInstalled()
                pins[digest, default: 0] += 1
                return .installed(shard: shard)
            }
            switch outcome {
            case .present:
                writer.discard()
                return
            case .installed(let shard):
                do {
                    try BlobDirectory.syncDirectory(shard)
                } catch {
                    unpin([digest])
                    throw error
                }
                return
            case .needsSync:
                continue
            }
        }
    }

    /// Releases pins taken by `install`.
    func unpin(_ digests: [BlobDigest]) {
        pins.withLock { pins in
            for digest in digests {
                guard let count = pins[digest] else { continue }
                pins[digest] = count > 1 ? count - 1 : nil
            }
        }
    }

    /// Records a stored blob, or marks an existing one as just used, inside a write transaction.
    static func recordBlob(_ digest: BlobDigest, size: Int64, now: Int64, on connection: Connection) throws {
        try connection.run(
            """
            INSERT INTO artifact_blobs (digest, size, stored_at, used_at) VALUES (?, ?, ?, ?)
            ON CONFLICT (digest) DO UPDATE SET used_at = excluded.used_at
            """, .text(digest.hex), .integer(size), .integer(now), .integer(now))
    }

    /// Opens a stored blob for sending; the caller owns the returned descriptor.
    ///
    /// A blob whose file is gone while its row remains is an integrity fault, reported as such.
    public func openBlob(_ digest: BlobDigest) throws(ArtifactError) -> (descriptor: Int32, size: Int64) {
        do {
            return try directory.open(digest)
        } catch let error where error.code == .notFound {
            let hasRow = try read { connection in
                try connection.queryFirst("SELECT 1 FROM artifact_blobs WHERE digest = ?", .text(digest.hex)) != nil
            }
            if hasRow {
                throw ArtifactError(.integrity, "the blob \(digest) is recorded but its file is missing")
            }
            throw error
        }
    }

    /// Whether a blob with `digest` is stored.
    public func containsBlob(_ digest: BlobDigest) -> Bool {
        digest == .empty || directory.contains(digest)
    }
}
