import Database
import Glibc

/// What one garbage collection removed, or would remove on a dry run.
public struct CollectionReport: Sendable {
    /// Blobs with a row that no live artifact references any more.
    public var removedBlobs: [BlobDigest] = []
    /// Files under `blobs/` without a row (left by a crash between rename and row).
    public var removedStrayFiles: [String] = []
    /// Bytes freed by both.
    public var freedBytes: Int64 = 0
    /// Records of artifacts expired for longer than the store keeps them.
    public var removedExpiredArtifacts = 0
    /// Whether nothing was actually removed.
    public var isDryRun = false
}

extension ArtifactStore {
    /// Removes blobs that no live artifact references, once the grace period since they were last
    /// stored or reused has passed, and records of long-expired artifacts.
    ///
    /// Never removed: a blob an upload has installed but not yet recorded (it is pinned), a blob
    /// the `BlobPinning` hook names, the empty blob, anything in `tmp/`. Safe to run while uploads
    /// go on: candidates are re-checked under the pin lock, in the transaction that deletes them.
    public func collectGarbage(dryRun: Bool = false) throws(ArtifactError) -> CollectionReport {
        let now = nowSeconds
        let cutoff = now - options.gracePeriodSeconds
        let external = try externalPins()
        var report = CollectionReport(isDryRun: dryRun)
        let candidates = try unreferencedBlobs(before: cutoff, now: now).filter { !external.contains($0.digest) }
        let strays = try strayFiles(before: cutoff).filter { !external.contains($0.digest) }
        if dryRun {
            report.removedBlobs = candidates.map(\.digest)
            report.removedStrayFiles = strays.map(\.digest.description)
            report.freedBytes = candidates.reduce(0) { $0 + $1.size } + strays.reduce(0) { $0 + $1.size }
            report.removedExpiredArtifacts = try read { connection in
                Int(
                    try connection.queryFirst(
                        "SELECT count(*) FROM artifacts WHERE expires_at <= ?",
                        .integer(now - options.expiredRecordSeconds))?.int(0) ?? 0)
            }
            return report
        }
        try pins.withLock { (pins) throws(ArtifactError) in
            let doomed = candidates.filter { pins[$0.digest] == nil }
            let doomedStrays = strays.filter { pins[$0.digest] == nil }
            let removed = try write { connection -> ([BlobDigest], [BlobDigest], Int) in
                var removed: [BlobDigest] = []
                for blob in doomed where try ArtifactStore.deleteBlobRow(blob.digest, cutoff, now, connection) {
                    removed.append(blob.digest)
                }
                // A stray file gained a row if an upload recorded it since it was listed.
                var strays: [BlobDigest] = []
                for stray in doomedStrays {
                    let hasRow = try connection.queryFirst(
                        "SELECT 1 FROM artifact_blobs WHERE digest = ?", .text(stray.digest.hex))
                    if hasRow == nil { strays.append(stray.digest) }
                }
                let expired = try connection.run(
                    "DELETE FROM artifacts WHERE expires_at <= ?", .integer(now - options.expiredRecordSeconds))
                return (removed, strays, expired)
            }
            for digest in removed.0 + removed.1 {
                try directory.remove(digest)
            }
            let sizes = Dictionary((candidates + strays).map { ($0.digest, $0.size) }, uniquingKeysWith: { a, _ in a })
            report.removedBlobs = removed.0
            report.removedStrayFiles = removed.1.map(\.description)
            report.freedBytes = (removed.0 + removed.1).reduce(0) { $0 + (sizes[$1] ?? 0) }
            report.removedExpiredArtifacts = removed.2
        }
        if !report.removedBlobs.isEmpty || !report.removedStrayFiles.isEmpty {
            logger.info(
                "artifact garbage collected",
                [
                    "gc.blobs": "\(report.removedBlobs.count)", "gc.stray_files": "\(report.removedStrayFiles.count)",
                    "gc.freed_bytes": "\(report.freedBytes)",
                ])
        }
        return report
    }

    private func externalPins() throws(ArtifactError) -> Set<BlobDigest> {
        guard let hook = blobPinning else { return [] }
        do {
            return try hook.pinnedDigests()
        } catch {
            throw ArtifactError(.storage, "cannot learn which blobs jobs still need; nothing was collected")
        }
    }

    /// Blob rows last used before `cutoff` that no live artifact references.
    private func unreferencedBlobs(before cutoff: Int64, now: Int64) throws(ArtifactError)
        -> [(digest: BlobDigest, size: Int64)]
    {
        let rows = try read { connection in
            try connection.query(
                """
                SELECT digest, size FROM artifact_blobs AS b
                WHERE used_at < ?1 AND digest != ?2 AND NOT EXISTS (
                    SELECT 1 FROM artifacts AS a
                    WHERE a.digest = b.digest AND (a.expires_at IS NULL OR a.expires_at > ?3))
                """, .integer(cutoff), .text(BlobDigest.empty.hex), .integer(now))
        }
        return rows.compactMap { row in
            guard let hex = row.text(0), let digest = try? BlobDigest(hex: hex) else { return nil }
            return (digest, row.int(1) ?? 0)
        }
    }

    /// Files in `blobs/` with a digest name but no row, not modified since `cutoff`.
    private func strayFiles(before cutoff: Int64) throws(ArtifactError) -> [(digest: BlobDigest, size: Int64)] {
        let files = directory.files().filter { $0.modifiedAt < cutoff }
        guard !files.isEmpty else { return [] }
        let recorded = try recordedDigests()
        return files.compactMap { file in
            guard let digest = try? BlobDigest(hex: file.name), !recorded.contains(digest.hex), digest != .empty
            else { return nil }
            var status = stat()
            return (digest, stat(file.path, &status) == 0 ? Int64(status.st_size) : 0)
        }
    }

    func recordedDigests() throws(ArtifactError) -> Set<String> {
        try read { connection in
            Set(try connection.query("SELECT digest FROM artifact_blobs").compactMap { $0.text(0) })
        }
    }

    /// Deletes the row if it is still unreferenced and unused since `cutoff`; returns whether it did.
    private static func deleteBlobRow(
        _ digest: BlobDigest, _ cutoff: Int64, _ now: Int64, _ connection: Connection
    ) throws -> Bool {
        let changed = try connection.run(
            """
            DELETE FROM artifact_blobs
            WHERE digest = ?1 AND used_at < ?2 AND NOT EXISTS (
                SELECT 1 FROM artifacts AS a
                WHERE a.digest = ?1 AND (a.expires_at IS NULL OR a.expires_at > ?3))
            """, .text(digest.hex), .integer(cutoff), .integer(now))
        return changed == 1
    }
}
