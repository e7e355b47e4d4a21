import Cryptography

/// One decrypted version of a secret.
public struct Secret: Sendable {
    public let path: SecretPath
    public let version: Int64
    /// The plaintext; wiped from memory when the last reference goes.
    public let value: SecretBytes
    public let createdAt: Int64
    /// The key term that encrypted this version.
    public let keyTerm: UInt32
}

/// What is known of one version without decrypting it.
public struct SecretVersionInfo: Sendable, Equatable {
    public let version: Int64
    public let createdAt: Int64
    public let deletedAt: Int64?
    public let destroyedAt: Int64?
    public let keyTerm: UInt32

    /// Whether the version can be read: neither deleted nor destroyed.
    public var isReadable: Bool { deletedAt == nil && destroyedAt == nil }
}

/// A secret's metadata as listings show it; never its value.
public struct SecretSummary: Sendable, Equatable {
    public let path: String
    public let currentVersion: Int64
    public let createdAt: Int64
    public let updatedAt: Int64
}
