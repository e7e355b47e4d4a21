import COpenSSL

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// One-shot SHA-256 digests.
public enum SHA256 {
    /// The digest size in bytes.
    public static let digestSize = 32

    /// Returns the 32-byte SHA-256 digest of `bytes`.
    public static func digest(_ bytes: UnsafeRawBufferPointer) -> [UInt8] {
        var length: UInt32 = 0
        return [UInt8](unsafeUninitializedCapacity: digestSize) { buffer, initialized in
            // An empty buffer may have no address; OpenSSL accepts NULL with a zero length.
            let result = EVP_Digest(bytes.baseAddress, bytes.count, buffer.baseAddress, &length, EVP_sha256(), nil)
            precondition(result == 1, "EVP_Digest failed: \(CryptoError.drainErrorQueue())")
            initialized = Int(length)
        }
    }

    /// Returns the 32-byte SHA-256 digest of `bytes`.
    public static func digest(_ bytes: [UInt8]) -> [UInt8] {
        bytes.withUnsafeBytes { digest($0) }
    }

    /// Returns the 32-byte SHA-256 digest of `data`, such as a `Data` value, region by region.
    public static func digest(_ data: some DataProtocol) -> [UInt8] {
        if data.regions.count == 1, let region = data.regions.first {
            return region.withUnsafeBytes { digest($0) }
        }
        do {
            let hasher = try SHA256Hasher()
            for region in data.regions {
                region.withUnsafeBytes { hasher.update($0) }
            }
            return hasher.finalize()
        } catch {
            preconditionFailure("SHA-256 could not start: \(error)")
        }
    }

    /// Returns the SHA-256 digest of `bytes` as 64 lower-case hex digits.
    public static func hexDigest(_ bytes: [UInt8]) -> String {
        Hex.encode(digest(bytes))
    }
}
