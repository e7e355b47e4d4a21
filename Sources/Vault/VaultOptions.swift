/// Limits and defaults of a vault.
public struct VaultOptions: Sendable {
    /// Versions kept per secret; older ones are removed when a new version is written.
    public var maxVersions: Int
    /// The largest secret value, in bytes.
    public var maxValueBytes: Int
    /// Encryptions under one key term before the vault rotates to a new term by itself.
    ///
    /// AES-GCM with random 96-bit nonces must stay far below 2^32 encryptions per key.
    public var encryptionsPerTerm: Int64
    /// The most entries one listing returns.
    public var maxListEntries: Int
    /// A lease's TTL when the request names none, in seconds.
    public var defaultLeaseTTL: Int64 = 15 * 60
    /// The longest a lease may live, renewals included, in seconds.
    public var maxLeaseTTL: Int64 = 24 * 3_600
    /// The most secrets one lease request may name.
    public var maxSecretsPerLease = 256
    /// A child token's TTL when the request names none, in seconds.
    public var defaultTokenTTL: Int64 = 24 * 3_600
    /// The longest TTL a token may be given, in seconds.
    public var maxTokenTTL: Int64 = 365 * 86_400
    /// How long ended leases stay listed before the sweeper deletes them, in seconds.
    public var endedLeaseRetention: Int64 = 7 * 86_400

    public init(
        maxVersions: Int = 10, maxValueBytes: Int = 64 * 1024, encryptionsPerTerm: Int64 = 1 << 30,
        maxListEntries: Int = 1000
    ) {
        self.maxVersions = maxVersions
        self.maxValueBytes = maxValueBytes
        self.encryptionsPerTerm = encryptionsPerTerm
        self.maxListEntries = maxListEntries
    }
}
