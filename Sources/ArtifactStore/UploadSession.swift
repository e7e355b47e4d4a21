import Database
import Synchronization

/// The files of one upload, from their first byte until they are committed or discarded.
///
/// Files are written to temporary files as they arrive, never held in memory. `commit` makes them
/// artifacts (or `commitBlob` one raw blob); `discard` removes everything that was not committed
/// and is safe to call at any time, also after a commit.
public final class UploadSession: Sendable {
    private struct File {
        var writer: BlobWriter
        var filename: String?
        var contentType: String?
        var digest: BlobDigest?
    }

    private struct State {
        var files: [File] = []
        var isFileOpen = false
        var isClosed = false
        var bytesSinceSpaceCheck: Int64 = 0
    }

    private let store: ArtifactStore
    private let state = Mutex(State())

    init(store: ArtifactStore) {
        self.store = store
    }

    deinit {
        discard()
    }

    /// Starts the next file.
    public func beginFile(filename: String? = nil, contentType: String? = nil) throws(ArtifactError) {
        let store = self.store
        try state.withLock { (state) throws(ArtifactError) in
            guard !state.isClosed, !state.isFileOpen else {
                throw ArtifactError(.invalidInput, "a file began before the previous one ended")
            }
            guard state.files.count < store.options.maxFilesPerUpload else {
                throw ArtifactError(.invalidInput, "an upload carries at most \(store.options.maxFilesPerUpload) files")
            }
            let writer = try BlobWriter(in: store.directory, flushInterval: store.options.flushIntervalBytes)
            state.files.append(File(writer: writer, filename: filename, contentType: contentType))
            state.isFileOpen = true
        }
    }

    /// Appends bytes to the current file; checks the free-space floor every few mebibytes.
    public func write(_ bytes: UnsafeRawBufferPointer) throws(ArtifactError) {
        let store = self.store
        try state.withLock { (state) throws(ArtifactError) in
            guard state.isFileOpen, let index = state.files.indices.last else {
                throw ArtifactError(.invalidInput, "bytes arrived outside a file")
            }
            state.bytesSinceSpaceCheck += Int64(bytes.count)
            if state.bytesSinceSpaceCheck >= 16 << 20 {
                state.bytesSinceSpaceCheck = 0
                if let room = store.bytesAboveFloor(), room < 0 {
                    throw ArtifactError(.insufficientStorage, "the disk is below the store's free-space floor")
                }
            }
            try state.files[index].writer.write(bytes)
        }
    }

    /// Ends the current file and computes its digest.
    public func endFile() throws(ArtifactError) {
        try state.withLock { (state) throws(ArtifactError) in
            guard state.isFileOpen, let index = state.files.indices.last else {
                throw ArtifactError(.invalidInput, "a file ended that had not begun")
            }
            state.files[index].digest = state.files[index].writer.finishDigest()
            state.isFileOpen = false
        }
    }

    /// How many files have begun.
    public var fileCount: Int {
        state.withLock { $0.files.count }
    }

    /// The names the files will be stored under by `commit(_:)`, for authorization beforehand.
    public func names(for upload: ArtifactUpload) throws(ArtifactError) -> [String] {
        let filenames = state.withLock { state in state.files.map(\.filename) }
        var names: [String] = []
        for filename in filenames {
            names.append(
                try ArtifactName.resolve(requested: upload.name, filename: filename, fileCount: filenames.count))
        }
        return names
    }

    /// Stores every file and records one artifact per file, all rows in one transaction.
    public func commit(_ upload: ArtifactUpload) throws(ArtifactError) -> [Artifact] {
        let names = try names(for: upload)
        guard !names.isEmpty else {
            throw ArtifactError(.invalidInput, "the upload holds no file")
        }
        try Self.validate(upload)
        let store = self.store
        return try state.withLock { (state) throws(ArtifactError) -> [Artifact] in
            let files = try Self.close(&state)
            var pinned: [BlobDigest] = []
            defer {
                store.unpin(pinned)
                files.forEach { $0.writer.discard() }
            }
            for file in files {
                let digest = file.digest!
                try store.install(file.writer, as: digest)
                pinned.append(digest)
            }
            let now = store.nowSeconds
            let expiry = (upload.expiresInSeconds ?? store.options.defaultExpirySeconds).map { now + $0 }
            var artifacts: [Artifact] = []
            for (file, name) in zip(files, names) {
                artifacts.append(
                    Artifact(
                        id: try ArtifactStore.randomID(), name: name, digest: file.digest!, size: file.writer.size,
                        filename: file.filename, contentType: file.contentType, pipeline: upload.pipeline,
                        job: upload.job, createdAt: now, expiresAt: expiry))
            }
            let rows = artifacts
            try store.write { connection in
                for artifact in rows {
                    try ArtifactStore.recordBlob(artifact.digest, size: artifact.size, now: now, on: connection)
                    try ArtifactStore.insert(artifact, on: connection)
                }
            }
            return artifacts
        }
    }

    /// Stores the one file of a raw upload as a blob, if its content matches `expected`.
    ///
    /// On a mismatch nothing is kept: no blob, no row, no temporary file.
    public func commitBlob(expected: BlobDigest) throws(ArtifactError) -> StoredBlob {
        let store = self.store
        return try state.withLock { (state) throws(ArtifactError) -> StoredBlob in
            let files = try Self.close(&state)
            defer { files.forEach { $0.writer.discard() } }
            guard files.count == 1, let file = files.first, let digest = file.digest else {
                throw ArtifactError(.invalidInput, "a raw blob upload holds exactly one body")
            }
            guard digest == expected else {
                throw ArtifactError(.digestInvalid, "the content's digest is \(digest), not \(expected)")
            }
            let wasPresent = store.containsBlob(digest)
            try store.install(file.writer, as: digest)
            defer { store.unpin([digest]) }
            let now = store.nowSeconds
            let size = file.writer.size
            try store.write { connection in
                try ArtifactStore.recordBlob(digest, size: size, now: now, on: connection)
            }
            return StoredBlob(digest: digest, size: size, wasPresent: wasPresent)
        }
    }

    /// Removes every temporary file not yet committed.
    public func discard() {
        state.withLock { state in
            state.isClosed = true
            for file in state.files {
                file.writer.discard()
            }
            state.files.removeAll()
        }
    }

    /// Takes the files out of the session for committing; whatever fails later is discarded.
    private static func close(_ state: inout State) throws(ArtifactError) -> [File] {
        guard !state.isClosed, !state.isFileOpen else {
            throw ArtifactError(.invalidInput, "the upload is incomplete")
        }
        state.isClosed = true
        let files = state.files
        state.files.removeAll()
        return files
    }

    private static func validate(_ upload: ArtifactUpload) throws(ArtifactError) {
        if let pipeline = upload.pipeline {
            try ArtifactName.validateReference(pipeline, field: "pipeline")
        }
        if let job = upload.job {
            try ArtifactName.validateReference(job, field: "job")
        }
        if (upload.job != nil) != (upload.pipeline != nil) {
            throw ArtifactError(.invalidInput, "pipeline and job go together")
        }
        if let seconds = upload.expiresInSeconds, seconds <= 0 || seconds > 100 * 365 * 86_400 {
            throw ArtifactError(.invalidInput, "expires_in must be a positive duration of at most 100 years")
        }
    }
}
