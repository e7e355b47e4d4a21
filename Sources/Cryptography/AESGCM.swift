/// AES-256 in Galois/Counter Mode: authenticated encryption with additional data.
///
/// Each key must never see the same nonce twice; callers pass a fresh ``SecureRandom``
/// nonce per encryption.
public enum AESGCM {
    /// The key size in bytes (256 bits).
    public static let keySize = 32

    /// The nonce size in bytes (96 bits), the size GCM handles without extra hashing.
    public static let nonceSize = 12

    /// The authentication tag size in bytes (128 bits).
    public static let tagSize = 16

    /// Encrypts `plaintext` under `key` and `nonce`, authenticating `aad` alongside it.
    ///
    /// Returns the ciphertext, exactly as long as the plaintext, and the 16-byte tag.
    public static func seal(
        _ plaintext: UnsafeRawBufferPointer,
        key: SecretBytes,
        nonce: [UInt8],
        authenticating aad: [UInt8]
    ) throws(CryptoError) -> (ciphertext: [UInt8], tag: [UInt8]) {
        try checkSizes(key: key, nonce: nonce)
        let context = try CipherContext(.encrypt, key: key, nonce: nonce)
        try aad.withUnsafeBytesTyped { (bytes) throws(CryptoError) in try context.authenticate(bytes) }

        var failure: CryptoError?
        let ciphertext = [UInt8](unsafeUninitializedCapacity: plaintext.count) { buffer, initialized in
            do throws(CryptoError) {
                try context.update(plaintext, into: UnsafeMutableRawBufferPointer(buffer))
            } catch {
                buffer.initialize(repeating: 0)
                failure = error
            }
            initialized = plaintext.count
        }
        if let failure { throw failure }

        return (ciphertext, try context.finishEncryption())
    }

    /// Encrypts the bytes of an array under `key` and `nonce`, authenticating `aad` alongside them.
    public static func seal(
        _ plaintext: [UInt8],
        key: SecretBytes,
        nonce: [UInt8],
        authenticating aad: [UInt8]
    ) throws(CryptoError) -> (ciphertext: [UInt8], tag: [UInt8]) {
        try plaintext.withUnsafeBytesTyped { (bytes) throws(CryptoError) in
            try seal(bytes, key: key, nonce: nonce, authenticating: aad)
        }
    }

    /// Encrypts secret bytes, such as a data key, without copying them into an array.
    public static func seal(
        _ plaintext: SecretBytes,
        key: SecretBytes,
        nonce: [UInt8],
        authenticating aad: [UInt8]
    ) throws(CryptoError) -> (ciphertext: [UInt8], tag: [UInt8]) {
        try plaintext.withUnsafeBytes { (bytes) throws(CryptoError) in
            try seal(bytes, key: key, nonce: nonce, authenticating: aad)
        }
    }

    /// Decrypts `ciphertext` and verifies it against `tag`, `key`, `nonce` and `aad`.
    ///
    /// Any mismatch throws ``CryptoError/Code/integrity`` and returns no bytes: the
    /// unauthenticated plaintext is wiped before the error leaves this function.
    public static func open(
        _ ciphertext: [UInt8],
        tag: [UInt8],
        key: SecretBytes,
        nonce: [UInt8],
        authenticating aad: [UInt8]
    ) throws(CryptoError) -> SecretBytes {
        try checkSizes(key: key, nonce: nonce)
        guard tag.count == tagSize else {
            throw CryptoError(.integrity, reason: "The tag is \(tag.count) bytes, not \(tagSize).")
        }
        let context = try CipherContext(.decrypt, key: key, nonce: nonce)
        try aad.withUnsafeBytesTyped { (bytes) throws(CryptoError) in try context.authenticate(bytes) }

        return try SecretBytes(count: ciphertext.count) { (plaintext) throws(CryptoError) in
            try ciphertext.withUnsafeBytesTyped { (bytes) throws(CryptoError) in
                try context.update(bytes, into: plaintext)
            }
            try context.finishDecryption(tag: tag)
        }
    }

    private static func checkSizes(key: SecretBytes, nonce: [UInt8]) throws(CryptoError) {
        guard key.count == keySize else {
            throw CryptoError(.invalidInput, reason: "The key is \(key.count) bytes, not \(keySize).")
        }
        guard nonce.count == nonceSize else {
            throw CryptoError(.invalidInput, reason: "The nonce is \(nonce.count) bytes, not \(nonceSize).")
        }
    }
}
