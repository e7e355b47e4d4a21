import Cryptography

/// What a ciphertext is bound to: the row it belongs in. Copying it elsewhere breaks the binding.
struct CiphertextBinding: Sendable, CustomStringConvertible {
    /// The kind of row, so a secret ciphertext never opens as another kind of record.
    var purpose: String
    /// The row's key, such as a secret path.
    var name: String
    /// The version within the row.
    var version: Int64

    static func secret(_ path: SecretPath, version: Int64) -> CiphertextBinding {
        CiphertextBinding(purpose: "secret", name: path.value, version: version)
    }

    /// The keyring, stored under the root key.
    static let keyring = CiphertextBinding(purpose: "keyring", name: "", version: 0)

    var description: String { "\(purpose) \(name) version \(version)" }

    /// The additional authenticated data: format, term, purpose, name and version, length-prefixed.
    func additionalData(term: UInt32) -> [UInt8] {
        var aad: [UInt8] = [SealedValue.format]
        aad.appendBigEndian(term)
        for field in [purpose, name] {
            aad.appendBigEndian(UInt32(field.utf8.count))
            aad.append(contentsOf: field.utf8)
        }
        aad.appendBigEndian(UInt64(bitPattern: version))
        return aad
    }
}

/// The stored form of a ciphertext: `format(1) ‖ term(4) ‖ nonce(12) ‖ ciphertext ‖ tag(16)`.
struct SealedValue: Sendable {
    static let format: UInt8 = 1
    static let overhead = 1 + 4 + AESGCM.nonceSize + AESGCM.tagSize

    var term: UInt32
    var nonce: [UInt8]
    var ciphertext: [UInt8]
    var tag: [UInt8]

    init(term: UInt32, nonce: [UInt8], ciphertext: [UInt8], tag: [UInt8]) {
        self.term = term
        self.nonce = nonce
        self.ciphertext = ciphertext
        self.tag = tag
    }

    init(decoding bytes: [UInt8]) throws(VaultError) {
        guard bytes.count >= SealedValue.overhead, bytes[0] == SealedValue.format else {
            throw VaultError(.integrity, "a stored ciphertext has an unknown format or is truncated")
        }
        let nonceStart = 5
        let bodyStart = nonceStart + AESGCM.nonceSize
        let tagStart = bytes.count - AESGCM.tagSize
        term = bytes[1..<5].reduce(0) { $0 << 8 | UInt32($1) }
        nonce = Array(bytes[nonceStart..<bodyStart])
        ciphertext = Array(bytes[bodyStart..<tagStart])
        tag = Array(bytes[tagStart...])
    }

    /// Encrypts `plaintext` under `key` with a fresh random nonce.
    static func seal(_ plaintext: [UInt8], key: SecretBytes, term: UInt32, binding: CiphertextBinding)
        throws(VaultError) -> SealedValue
    {
        do {
            let nonce = try SecureRandom.bytes(AESGCM.nonceSize)
            let aad = binding.additionalData(term: term)
            let sealed = try AESGCM.seal(plaintext, key: key, nonce: nonce, authenticating: aad)
            return SealedValue(term: term, nonce: nonce, ciphertext: sealed.ciphertext, tag: sealed.tag)
        } catch {
            throw VaultError(.integrity, "encryption failed: \(error.reason)")
        }
    }

    /// Decrypts under `key`; any mismatch is an integrity error that yields no bytes.
    func open(key: SecretBytes, binding: CiphertextBinding) throws(VaultError) -> SecretBytes {
        do {
            return try AESGCM.open(
                ciphertext, tag: tag, key: key, nonce: nonce, authenticating: binding.additionalData(term: term))
        } catch {
            throw VaultError(.integrity, "the ciphertext of \(binding.description) failed authentication")
        }
    }

    func encoded() -> [UInt8] {
        var bytes: [UInt8] = [SealedValue.format]
        bytes.reserveCapacity(SealedValue.overhead + ciphertext.count)
        bytes.appendBigEndian(term)
        bytes += nonce
        bytes += ciphertext
        bytes += tag
        return bytes
    }
}
