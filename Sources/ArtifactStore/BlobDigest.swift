import Cryptography

/// A blob's SHA-256 digest, written `sha256:` and 64 lower-case hex digits.
///
/// Parsing is strict, because the digest becomes a file name: no other algorithm, no upper case,
/// no other length, nothing that could reach outside the blob directory.
public struct BlobDigest: Hashable, Sendable, CustomStringConvertible {
    /// The 64 lower-case hex digits.
    public let hex: String

    /// The digest of zero bytes, which the store always holds.
    public static let empty = BlobDigest(
        verifiedHex: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")

    private init(verifiedHex: String) {
        hex = verifiedHex
    }

    /// Parses `sha256:<64 lower-case hex digits>`.
    public init(parsing text: String) throws(ArtifactError) {
        guard text.hasPrefix("sha256:") else {
            throw ArtifactError(.digestInvalid, "a digest is 'sha256:' followed by 64 lower-case hex digits")
        }
        try self.init(hex: String(text.dropFirst(7)))
    }

    /// Takes 64 lower-case hex digits.
    public init(hex: String) throws(ArtifactError) {
        let isHex = hex.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
        guard hex.utf8.count == 64, isHex else {
            throw ArtifactError(.digestInvalid, "a digest is 'sha256:' followed by 64 lower-case hex digits")
        }
        self.init(verifiedHex: hex)
    }

    /// The digest of a finished hash.
    init(bytes: [UInt8]) {
        self.init(verifiedHex: Hex.encode(bytes))
    }

    /// The 32 digest bytes.
    public var bytes: [UInt8] {
        Hex.decode(hex) ?? []
    }

    /// `sha256:<hex>`.
    public var description: String { "sha256:" + hex }
}
