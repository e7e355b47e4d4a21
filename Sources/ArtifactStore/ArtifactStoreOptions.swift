/// Limits and retention of an `ArtifactStore`.
public struct ArtifactStoreOptions: Sendable {
    /// The largest upload, in bytes of request body; larger ones are refused.
    public var maxUploadBytes: Int64
    /// Uploads are refused when they would leave less than this many bytes free on the disk.
    public var minFreeBytes: Int64
    /// How long an unreferenced blob is kept after it was last stored or reused, in seconds.
    public var gracePeriodSeconds: Int64
    /// How long an expired artifact's record still answers "expired" before collection removes it.
    public var expiredRecordSeconds: Int64
    /// The expiry given to artifacts uploaded without one; nil keeps them until deleted.
    public var defaultExpirySeconds: Int64?
    /// The most files one upload may carry.
    public var maxFilesPerUpload: Int
    /// Bytes written to a temporary file between background flushes to disk, so the final
    /// fsync has little left to do.
    public var flushIntervalBytes: Int64

    public init(
        maxUploadBytes: Int64 = 16 << 30, minFreeBytes: Int64 = 512 << 20, gracePeriodSeconds: Int64 = 3_600,
        expiredRecordSeconds: Int64 = 7 * 86_400, defaultExpirySeconds: Int64? = nil, maxFilesPerUpload: Int = 64,
        flushIntervalBytes: Int64 = 32 << 20
    ) {
        self.maxUploadBytes = maxUploadBytes
        self.minFreeBytes = minFreeBytes
        self.gracePeriodSeconds = gracePeriodSeconds
        self.expiredRecordSeconds = expiredRecordSeconds
        self.defaultExpirySeconds = defaultExpirySeconds
        self.maxFilesPerUpload = maxFilesPerUpload
        self.flushIntervalBytes = flushIntervalBytes
    }
}
