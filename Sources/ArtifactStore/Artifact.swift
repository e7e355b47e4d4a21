/// One stored artifact: a name over a content-addressed blob, with its origin and expiry.
public struct Artifact: Sendable, Equatable {
    /// The public id, 24 hex digits.
    public let id: String
    public let name: String
    public let digest: BlobDigest
    /// The content's size in bytes.
    public let size: Int64
    /// The file name the uploader announced, if any.
    public let filename: String?
    /// The content type the uploader announced, if any.
    public let contentType: String?
    /// The pipeline and job that produced it, if a CI job uploaded it.
    public let pipeline: String?
    public let job: String?
    /// Seconds since 1970.
    public let createdAt: Int64
    /// Seconds since 1970; nil keeps the artifact until it is deleted.
    public let expiresAt: Int64?

    /// Whether the expiry has passed at `now` (seconds since 1970).
    public func isExpired(at now: Int64) -> Bool {
        expiresAt.map { $0 <= now } ?? false
    }
}

/// What an uploader says about the files of one upload.
public struct ArtifactUpload: Sendable {
    /// The artifact name; with several files each is stored as `name/filename`. Without it the
    /// file name is the artifact name.
    public var name: String?
    public var pipeline: String?
    public var job: String?
    /// Seconds from now until the artifacts expire; nil takes the store's default.
    public var expiresInSeconds: Int64?

    public init(name: String? = nil, pipeline: String? = nil, job: String? = nil, expiresInSeconds: Int64? = nil) {
        self.name = name
        self.pipeline = pipeline
        self.job = job
        self.expiresInSeconds = expiresInSeconds
    }
}

/// Which artifacts a listing returns.
public struct ArtifactQuery: Sendable {
    public var name: String?
    public var pipeline: String?
    public var job: String?
    /// Whether expired artifacts whose records remain are listed too.
    public var includeExpired: Bool
    /// The most artifacts returned, newest first.
    public var limit: Int

    public init(
        name: String? = nil, pipeline: String? = nil, job: String? = nil, includeExpired: Bool = false, limit: Int = 100
    ) {
        self.name = name
        self.pipeline = pipeline
        self.job = job
        self.includeExpired = includeExpired
        self.limit = limit
    }
}

/// A blob stored by digest, as reported after a raw upload.
public struct StoredBlob: Sendable, Equatable {
    public let digest: BlobDigest
    public let size: Int64
    /// Whether the content was already stored, so nothing new was written.
    public let wasPresent: Bool
}
