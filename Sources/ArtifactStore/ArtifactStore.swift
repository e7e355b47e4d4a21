import Cryptography
import Database
import Foundation
import Logging
import Synchronization
import Timekeeping

/// The artifact store: content-addressed blobs on disk, an index of named artifacts in the shared
/// SQLite file, retention, garbage collection and verification.
///
/// Write path: an upload is hashed into a temporary file, fsynced, renamed to
/// `blobs/sha256/<2 hex>/<hex>`, the directory fsynced, and only then is the row written. Every
/// call blocks on the disk or SQLite; callers keep them off Swift's cooperative thread pool.
public final class ArtifactStore: Sendable {
    public let options: ArtifactStoreOptions
    let database: Database
    let directory: BlobDirectory
    let clock: any WallClock
    let logger: Logger
    /// Digests between their install and their row, counted per upload. Collection removes
    /// blobs only while holding this lock and never a pinned one.
    let pins = Mutex<[BlobDigest: Int]>([:])
    private let pinning = Mutex<(any BlobPinning)?>(nil)

    /// Opens the store over `dataDirectory` (its `blobs/` and `tmp/`) and `database`, applying
    /// the `artifacts` migrations and making sure the empty blob exists.
    public init(
        database: Database, dataDirectory: String, options: ArtifactStoreOptions = ArtifactStoreOptions(),
        clock: any WallClock = SystemClock(), logger: Logger = Logger(label: "artifacts")
    ) throws(ArtifactError) {
        do {
            try database.migrate(ArtifactSchema.namespace, ArtifactSchema.migrations)
        } catch {
            throw ArtifactError(.storage, "cannot prepare the artifact tables: \(error.reason)")
        }
        self.database = database
        self.directory = try BlobDirectory(root: dataDirectory)
        self.options = options
        self.clock = clock
        self.logger = logger
        try storeEmptyBlob()
    }

    /// Sets what collection asks for blobs that queued or running jobs still need.
    public func setPinning(_ pinning: any BlobPinning) {
        self.pinning.withLock { $0 = pinning }
    }

    var blobPinning: (any BlobPinning)? {
        pinning.withLock { $0 }
    }

    /// Removes the temporary files of uploads that were cut off; call once at start, before serving.
    @discardableResult
    public func clearTemporaryFiles() throws(ArtifactError) -> Int {
        try directory.clearTemporaryFiles()
    }

    /// Starts receiving the files of one upload.
    public func beginUpload() -> UploadSession {
        UploadSession(store: self)
    }

    /// Bytes free on the store's disk above the configured floor; nil when unknown.
    public func bytesAboveFloor() -> Int64? {
        directory.availableBytes().map { $0 - options.minFreeBytes }
    }

    /// The current time as whole seconds since 1970.
    var nowSeconds: Int64 {
        Int64(clock.now().timeIntervalSince1970.rounded(.down))
    }

    /// Write-transaction shorthand that maps storage failures.
    func write<T: Sendable>(_ body: (Connection) throws -> T) throws(ArtifactError) -> T {
        try ArtifactStore.storage { try database.write(body) }
    }

    /// Read-transaction shorthand that maps storage failures.
    func read<T: Sendable>(_ body: (Connection) throws -> T) throws(ArtifactError) -> T {
        try ArtifactStore.storage { try database.read(body) }
    }

    static func storage<T>(_ body: () throws -> T) throws(ArtifactError) -> T {
        do {
            return try body()
        } catch let error as ArtifactError {
            throw error
        } catch let error as DatabaseError {
            let code: ArtifactError.Code = error.code == .full ? .insufficientStorage : .storage
            throw ArtifactError(code, "storage failed: \(error.reason)")
        } catch {
            throw ArtifactError(.storage, "storage failed")
        }
    }

    /// A new random public id: 96 random bits in hex.
    static func randomID() throws(ArtifactError) -> String {
        do {
            return Hex.encode(try SecureRandom.bytes(12))
        } catch {
            throw ArtifactError(.storage, "no random bytes: \(error.reason)")
        }
    }

    /// The empty blob always exists, file and row, so it can be served and never collected.
    private func storeEmptyBlob() throws(ArtifactError) {
        let digest = BlobDigest.empty
        if !directory.contains(digest) {
            let writer = try BlobWriter(in: directory, flushInterval: options.flushIntervalBytes)
            try writer.sync()
            writer.close()
            let shard = try directory.install(writer.path, as: digest)
            try BlobDirectory.syncDirectory(shard)
        }
        let now = nowSeconds
        _ = try write { connection in
            try connection.run(
                """
                INSERT INTO artifact_blobs (digest, size, stored_at, used_at) VALUES (?, 0, ?, ?)
                ON CONFLICT (digest) DO NOTHING
                """, .text(digest.hex), .integer(now), .integer(now))
        }
    }
}
