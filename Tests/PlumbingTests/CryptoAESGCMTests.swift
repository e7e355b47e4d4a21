import Cryptography
import Testing

/// One AES-256-GCM known-answer case from McGrew and Viega, "The Galois/Counter Mode of Operation".
struct CryptoGCMVector: Sendable, CustomTestStringConvertible {
    let name: String
    let key: String
    let nonce: String
    let plaintext: String
    let aad: String
    let ciphertext: String
    let tag: String

    var testDescription: String { name }
}

private let keyOfZeros = String(repeating: "00", count: 32)
private let nonceOfZeros = String(repeating: "00", count: 12)
private let specKey = "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308"
private let specNonce = "cafebabefacedbaddecaf888"
private let specPlaintext =
    "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
    + "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39"
private let specCiphertext =
    "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
    + "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662"

private let gcmVectors = [
    CryptoGCMVector(
        name: "test case 13: empty plaintext, no AAD",
        key: keyOfZeros, nonce: nonceOfZeros, plaintext: "", aad: "", ciphertext: "",
        tag: "530f8afbc74536b9a963b4f1c4cb738b"
    ),
    CryptoGCMVector(
        name: "test case 14: one zero block, no AAD",
        key: keyOfZeros, nonce: nonceOfZeros, plaintext: String(repeating: "00", count: 16), aad: "",
        ciphertext: "cea7403d4d606b6e074ec5d3baf39d18", tag: "d0d1c8a799996bf0265b98b5d48ab919"
    ),
    CryptoGCMVector(
        name: "test case 15: four blocks, no AAD",
        key: specKey, nonce: specNonce, plaintext: specPlaintext + "1aafd255", aad: "",
        ciphertext: specCiphertext + "898015ad", tag: "b094dac5d93471bdec1a502270e3cc6c"
    ),
    CryptoGCMVector(
        name: "test case 16: partial block with AAD",
        key: specKey, nonce: specNonce, plaintext: specPlaintext,
        aad: "feedfacedeadbeeffeedfacedeadbeefabaddad2",
        ciphertext: specCiphertext, tag: "76fc6ece0f4e1768cddf8853bb2d551b"
    ),
]

private func bytes(_ hex: String) throws -> [UInt8] {
    try #require(Hex.decode(hex), "test vector is not hex: \(hex)")
}

/// The decoded inputs of test case 16, the one that exercises every argument.
private struct SealedMessage {
    let key: SecretBytes
    let nonce: [UInt8]
    let aad: [UInt8]
    let ciphertext: [UInt8]
    let tag: [UInt8]

    init() throws {
        let vector = gcmVectors[3]
        key = SecretBytes(try bytes(vector.key))
        nonce = try bytes(vector.nonce)
        aad = try bytes(vector.aad)
        ciphertext = try bytes(vector.ciphertext)
        tag = try bytes(vector.tag)
    }

    func open(
        ciphertext: [UInt8]? = nil,
        tag: [UInt8]? = nil,
        key: SecretBytes? = nil,
        nonce: [UInt8]? = nil,
        aad: [UInt8]? = nil
    ) throws(CryptoError) -> SecretBytes {
        try AESGCM.open(
            ciphertext ?? self.ciphertext,
            tag: tag ?? self.tag,
            key: key ?? self.key,
            nonce: nonce ?? self.nonce,
            authenticating: aad ?? self.aad
        )
    }
}

private func flipping(_ bytes: [UInt8], at index: Int) -> [UInt8] {
    var copy = bytes
    copy[index] ^= 0x01
    return copy
}

@Suite("AES-256-GCM")
struct CryptoAESGCMTests {
    @Test("seal produces the published ciphertext and tag", arguments: gcmVectors)
    func sealMatchesPublishedVector(_ vector: CryptoGCMVector) throws {
        let key = SecretBytes(try bytes(vector.key))

        let sealed = try AESGCM.seal(
            try bytes(vector.plaintext), key: key, nonce: try bytes(vector.nonce),
            authenticating: try bytes(vector.aad))

        #expect(Hex.encode(sealed.ciphertext) == vector.ciphertext)
        #expect(Hex.encode(sealed.tag) == vector.tag)
    }

    @Test("open recovers the published plaintext", arguments: gcmVectors)
    func openRecoversPublishedPlaintext(_ vector: CryptoGCMVector) throws {
        let key = SecretBytes(try bytes(vector.key))

        let plaintext = try AESGCM.open(
            try bytes(vector.ciphertext), tag: try bytes(vector.tag), key: key,
            nonce: try bytes(vector.nonce), authenticating: try bytes(vector.aad))

        #expect(Hex.encode(plaintext.copyBytes()) == vector.plaintext)
    }

    @Test func unmodifiedMessageOpens() throws {
        let message = try SealedMessage()

        #expect(try message.open().count == message.ciphertext.count)
    }

    @Test(arguments: [0, 30, 59])
    func flippedCiphertextByteFailsIntegrity(at index: Int) throws {
        let message = try SealedMessage()

        let error = #expect(throws: CryptoError.self) {
            try message.open(ciphertext: flipping(message.ciphertext, at: index))
        }

        #expect(error?.code == .integrity)
    }

    @Test(arguments: [0, 15])
    func flippedTagByteFailsIntegrity(at index: Int) throws {
        let message = try SealedMessage()

        let error = #expect(throws: CryptoError.self) {
            try message.open(tag: flipping(message.tag, at: index))
        }

        #expect(error?.code == .integrity)
    }

    @Test func truncatedTagFailsIntegrity() throws {
        let message = try SealedMessage()

        let error = #expect(throws: CryptoError.self) {
            try message.open(tag: Array(message.tag.prefix(12)))
        }

        #expect(error?.code == .integrity)
    }

    @Test func wrongAADFailsIntegrity() throws {
        let message = try SealedMessage()

        let flipped = #expect(throws: CryptoError.self) {
            try message.open(aad: flipping(message.aad, at: 19))
        }
        let missing = #expect(throws: CryptoError.self) {
            try message.open(aad: [])
        }

        #expect(flipped?.code == .integrity)
        #expect(missing?.code == .integrity)
    }

    @Test func wrongKeyFailsIntegrity() throws {
        let message = try SealedMessage()
        let otherKey = SecretBytes(flipping(message.key.copyBytes(), at: 31))

        let error = #expect(throws: CryptoError.self) {
            try message.open(key: otherKey)
        }

        #expect(error?.code == .integrity)
    }

    @Test func wrongNonceFailsIntegrity() throws {
        let message = try SealedMessage()

        let error = #expect(throws: CryptoError.self) {
            try message.open(nonce: flipping(message.nonce, at: 0))
        }

        #expect(error?.code == .integrity)
    }

    @Test func keyOfWrongSizeIsInvalidInput() throws {
        let shortKey = SecretBytes([UInt8](repeating: 7, count: 16))

        let error = #expect(throws: CryptoError.self) {
            try AESGCM.seal([1, 2, 3], key: shortKey, nonce: try SecureRandom.bytes(12), authenticating: [])
        }

        #expect(error?.code == .invalidInput)
    }

    @Test func nonceOfWrongSizeIsInvalidInput() throws {
        let key = try SecretBytes(random: AESGCM.keySize)

        let sealError = #expect(throws: CryptoError.self) {
            try AESGCM.seal([1, 2, 3], key: key, nonce: [0, 1, 2, 3, 4, 5, 6, 7], authenticating: [])
        }
        let openError = #expect(throws: CryptoError.self) {
            try AESGCM.open([1], tag: [UInt8](repeating: 0, count: 16), key: key, nonce: [], authenticating: [])
        }

        #expect(sealError?.code == .invalidInput)
        #expect(openError?.code == .invalidInput)
    }

    @Test func randomKeyAndNonceRoundTripLargeSecret() throws {
        let key = try SecretBytes(random: AESGCM.keySize)
        let nonce = try SecureRandom.bytes(AESGCM.nonceSize)
        let plaintext = try SecretBytes(random: 1 << 20 + 5)
        let aad = Array("format 1, term 7, secret ci/deploy, version 3".utf8)

        let sealed = try AESGCM.seal(plaintext, key: key, nonce: nonce, authenticating: aad)
        let opened = try AESGCM.open(sealed.ciphertext, tag: sealed.tag, key: key, nonce: nonce, authenticating: aad)

        #expect(sealed.ciphertext.count == plaintext.count)
        #expect(sealed.ciphertext != plaintext.copyBytes())
        #expect(opened == plaintext)
    }

    @Test func allPlaintextOverloadsProduceTheSameCiphertext() throws {
        let key = try SecretBytes(random: AESGCM.keySize)
        let nonce = try SecureRandom.bytes(AESGCM.nonceSize)
        let plaintext: [UInt8] = Array("a secret value".utf8)

        let fromArray = try AESGCM.seal(plaintext, key: key, nonce: nonce, authenticating: [9])
        let fromSecret = try AESGCM.seal(SecretBytes(plaintext), key: key, nonce: nonce, authenticating: [9])
        let fromBuffer = try plaintext.withUnsafeBytes { buffer in
            try AESGCM.seal(buffer, key: key, nonce: nonce, authenticating: [9])
        }

        #expect(fromArray.ciphertext == fromSecret.ciphertext && fromArray.tag == fromSecret.tag)
        #expect(fromArray.ciphertext == fromBuffer.ciphertext && fromArray.tag == fromBuffer.tag)
    }
}
