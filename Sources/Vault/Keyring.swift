import Cryptography

/// The data keys ("terms") that encrypt secrets, and which of them new writes use.
///
/// A pure value: encrypting, opening and serializing happen here without I/O, so the rules are
/// testable on their own. The keyring is stored encrypted under the root key.
public struct Keyring: Sendable {
    /// One data key and when it was made.
    public struct Term: Sendable {
        public let number: UInt32
        public let key: SecretBytes
        public let createdAt: Int64
    }

    /// Every term, by number; old terms stay so old versions still open.
    public private(set) var terms: [UInt32: Term]
    /// The term new encryptions use: always the newest.
    public private(set) var activeTerm: UInt32

    /// A keyring with one fresh term.
    static func generate(createdAt: Int64) throws(VaultError) -> Keyring {
        let first = Term(number: 1, key: try Keyring.randomKey(), createdAt: createdAt)
        return Keyring(terms: [1: first], activeTerm: 1)
    }

    /// Adds a fresh term and makes it active.
    mutating func rotate(createdAt: Int64) throws(VaultError) -> UInt32 {
        let next = activeTerm + 1
        terms[next] = Term(number: next, key: try Keyring.randomKey(), createdAt: createdAt)
        activeTerm = next
        return next
    }

    /// Encrypts `plaintext` under the active term, binding `binding` as additional data.
    func seal(_ plaintext: [UInt8], binding: CiphertextBinding) throws(VaultError) -> [UInt8] {
        guard let term = terms[activeTerm] else {
            throw VaultError(.integrity, "the keyring has no active term")
        }
        return try SealedValue.seal(plaintext, key: term.key, term: term.number, binding: binding).encoded()
    }

    /// Opens a stored ciphertext; any mismatch of term, row or bytes is an integrity error.
    func open(_ stored: [UInt8], binding: CiphertextBinding) throws(VaultError) -> SecretBytes {
        let sealed = try SealedValue(decoding: stored)
        guard let term = terms[sealed.term] else {
            throw VaultError(
                .integrity, "the ciphertext names key term \(sealed.term), which the keyring does not hold")
        }
        return try sealed.open(key: term.key, binding: binding)
    }

    static func randomKey() throws(VaultError) -> SecretBytes {
        do {
            return try SecretBytes(random: AESGCM.keySize)
        } catch {
            throw VaultError(.integrity, "no random bytes for a key: \(error.reason)")
        }
    }
}

extension Keyring {
    private static let serializationVersion: UInt8 = 1
    private static let termSize = 4 + 8 + AESGCM.keySize

    /// The keyring as bytes, to be encrypted under the root key. The caller wipes them.
    func serialized() -> [UInt8] {
        var bytes: [UInt8] = [Keyring.serializationVersion]
        bytes.appendBigEndian(activeTerm)
        bytes.appendBigEndian(UInt32(terms.count))
        for term in terms.values.sorted(by: { $0.number < $1.number }) {
            bytes.appendBigEndian(term.number)
            bytes.appendBigEndian(UInt64(bitPattern: term.createdAt))
            term.key.withUnsafeBytes { bytes.append(contentsOf: $0) }
        }
        return bytes
    }

    /// Reads a keyring from `serialized()` bytes.
    init(serialized bytes: SecretBytes) throws(VaultError) {
        let parsed: Keyring? = bytes.withUnsafeBytes { buffer in
            var reader = ByteReader(buffer)
            guard reader.readByte() == Keyring.serializationVersion, let active = reader.readUInt32(),
                let count = reader.readUInt32(), reader.remaining == Int(count) * Keyring.termSize
            else { return nil }
            var terms: [UInt32: Term] = [:]
            for _ in 0..<count {
                guard let number = reader.readUInt32(), let created = reader.readUInt64(),
                    let key = reader.readBytes(AESGCM.keySize)
                else { return nil }
                terms[number] = Term(number: number, key: SecretBytes(key), createdAt: Int64(bitPattern: created))
            }
            guard terms[active] != nil else { return nil }
            return Keyring(terms: terms, activeTerm: active)
        }
        guard let parsed else {
            throw VaultError(.integrity, "the stored keyring is malformed")
        }
        self = parsed
    }
}
