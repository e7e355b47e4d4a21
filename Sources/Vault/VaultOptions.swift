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
