import COpenSSL

/// HMAC with SHA-256 (RFC 2104), computed with OpenSSL's one-shot `HMAC`.
public enum HMACSHA256 {
    /// The code size in bytes.
    public static let codeSize = 32

    /// Returns the 32-byte authentication code of `message` under `key`.
    public static func authenticationCode(for message: [UInt8], key: SecretBytes) -> [UInt8] {
        message.withUnsafeBytes { authenticationCode(for: $0, key: key) }
    }

    /// Returns the 32-byte authentication code of the bytes in `message` under `key`.
    public static func authenticationCode(for message: UnsafeRawBufferPointer, key: SecretBytes) -> [UInt8] {
        precondition(key.count <= Int(Int32.max), "An HMAC key must fit OpenSSL's int length.")
        return key.withUnsafeBytes { keyBytes in
            [UInt8](unsafeUninitializedCapacity: codeSize) { buffer, initialized in
                var length: UInt32 = 0
                let result = HMAC(
                    EVP_sha256(),
                    keyBytes.baseAddress,
                    Int32(keyBytes.count),
                    message.baseAddress?.assumingMemoryBound(to: UInt8.self),
                    message.count,
                    buffer.baseAddress,
                    &length
                )
                precondition(result != nil, "HMAC failed: \(CryptoError.drainErrorQueue())")
                initialized = Int(length)
            }
        }
    }
}
