import COpenSSL

/// Owns one `EVP_CIPHER_CTX` set up for AES-256-GCM and frees it, key schedule included, in `deinit`.
final class CipherContext {
    /// Whether the context encrypts or decrypts.
    enum Direction {
        case encrypt
        case decrypt
    }

    // OpenSSL takes lengths as int; larger inputs go through in pieces of this size.
    private static let maximumChunk = 1 << 30

    private let handle: OpaquePointer
    private let direction: Direction

    /// Creates a context keyed with `key` and `nonce`; both sizes must already be checked.
    init(_ direction: Direction, key: SecretBytes, nonce: [UInt8]) throws(CryptoError) {
        guard let handle = EVP_CIPHER_CTX_new() else {
            throw CryptoError.library("EVP_CIPHER_CTX_new could not allocate a cipher context.")
        }
        self.handle = handle
        self.direction = direction

        try initialize(cipher: EVP_aes_256_gcm(), key: nil, nonce: nil)
        guard vault_evp_gcm_set_ivlen(handle, Int32(AESGCM.nonceSize)) == 1 else {
            throw CryptoError.library("The GCM nonce length could not be set.")
        }

        try key.withUnsafeBytes { (keyBytes) throws(CryptoError) in
            try nonce.withUnsafeBytesTyped { (nonceBytes) throws(CryptoError) in
                try initialize(cipher: nil, key: keyBytes.baseAddress, nonce: nonceBytes.baseAddress)
            }
        }
    }

    deinit {
        EVP_CIPHER_CTX_free(handle)
    }

    /// Feeds additional authenticated data, which is authenticated but not encrypted.
    func authenticate(_ aad: UnsafeRawBufferPointer) throws(CryptoError) {
        try process(aad, into: nil)
    }

    /// Encrypts or decrypts `input` into `output`, which must be at least as long.
    func update(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) throws(CryptoError) {
        precondition(output.count >= input.count, "GCM output must be as long as its input.")
        try process(input, into: output)
    }

    /// Reads the 16-byte tag after encryption is finished.
    func finishEncryption() throws(CryptoError) -> [UInt8] {
        var length: Int32 = 0
        var scratch = [UInt8](repeating: 0, count: AESGCM.tagSize)
        guard EVP_EncryptFinal_ex(handle, &scratch, &length) == 1 else {
            throw CryptoError.library("EVP_EncryptFinal_ex failed.")
        }
        var tag = [UInt8](repeating: 0, count: AESGCM.tagSize)
        guard vault_evp_gcm_get_tag(handle, &tag, Int32(AESGCM.tagSize)) == 1 else {
            throw CryptoError.library("The GCM tag could not be read.")
        }
        return tag
    }

    /// Checks `tag` after decryption is finished; a mismatch throws `.integrity`.
    func finishDecryption(tag: [UInt8]) throws(CryptoError) {
        var expected = tag
        guard vault_evp_gcm_set_tag(handle, &expected, Int32(expected.count)) == 1 else {
            throw CryptoError.library("The GCM tag could not be set.")
        }
        var length: Int32 = 0
        var scratch = [UInt8](repeating: 0, count: AESGCM.tagSize)
        guard EVP_DecryptFinal_ex(handle, &scratch, &length) == 1 else {
            throw CryptoError.drained(.integrity, reason: "The ciphertext failed authentication.")
        }
    }

    private func initialize(
        cipher: OpaquePointer?,
        key: UnsafeRawPointer?,
        nonce: UnsafeRawPointer?
    ) throws(CryptoError) {
        let keyBytes = key?.assumingMemoryBound(to: UInt8.self)
        let nonceBytes = nonce?.assumingMemoryBound(to: UInt8.self)
        let result =
            switch direction {
            case .encrypt: EVP_EncryptInit_ex(handle, cipher, nil, keyBytes, nonceBytes)
            case .decrypt: EVP_DecryptInit_ex(handle, cipher, nil, keyBytes, nonceBytes)
            }
        guard result == 1 else {
            throw CryptoError.library("The AES-256-GCM context could not be initialised.")
        }
    }

    private func process(
        _ input: UnsafeRawBufferPointer,
        into output: UnsafeMutableRawBufferPointer?
    ) throws(CryptoError) {
        var offset = 0
        while offset < input.count {
            let length = min(input.count - offset, Self.maximumChunk)
            let source = input.baseAddress!.advanced(by: offset).assumingMemoryBound(to: UInt8.self)
            let target = output.map { $0.baseAddress!.advanced(by: offset).assumingMemoryBound(to: UInt8.self) }
            var written: Int32 = 0
            let result =
                switch direction {
                case .encrypt: EVP_EncryptUpdate(handle, target, &written, source, Int32(length))
                case .decrypt: EVP_DecryptUpdate(handle, target, &written, source, Int32(length))
                }
            guard result == 1, output == nil || Int(written) == length else {
                throw CryptoError.library("AES-256-GCM could not process its input.")
            }
            offset += length
        }
    }
}
