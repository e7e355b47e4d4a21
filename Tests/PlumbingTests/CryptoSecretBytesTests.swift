import Cryptography
import Testing

@Suite("SecretBytes, SecureRandom and CryptoError")
struct CryptoSecretBytesTests {
    @Test func secretsWithTheSameBytesAreEqual() {
        #expect(SecretBytes([1, 2, 3]) == SecretBytes([1, 2, 3]))
        #expect(SecretBytes([]) == SecretBytes([]))
    }

    @Test func secretsWithDifferentBytesOrLengthsAreNotEqual() {
        #expect(SecretBytes([1, 2, 3]) != SecretBytes([1, 2, 4]))
        #expect(SecretBytes([1, 2, 3]) != SecretBytes([1, 2]))
    }

    @Test func secretKeepsItsOwnCopyOfTheBytes() {
        var source: [UInt8] = [9, 8, 7]
        let secret = SecretBytes(source)

        source[0] = 0

        #expect(secret.copyBytes() == [9, 8, 7])
        #expect(secret.count == 3)
    }

    @Test func secretCopiedFromABufferHoldsItsBytes() {
        let bytes: [UInt8] = [4, 5, 6, 7]

        let secret = bytes.withUnsafeBytes { SecretBytes(copying: $0) }

        #expect(secret.withUnsafeBytes { Array($0) } == bytes)
    }

    @Test func randomSecretsHaveTheRequestedSizeAndDiffer() throws {
        let first = try SecretBytes(random: 32)
        let second = try SecretBytes(random: 32)

        #expect(first.count == 32)
        #expect(first != second)
    }

    @Test func secretDescriptionRevealsOnlyTheSize() {
        let secret = SecretBytes([0xde, 0xad, 0xbe, 0xef])

        #expect("\(secret)" == "SecretBytes(4 bytes)")
        #expect(!String(reflecting: secret).contains("de"))
    }

    @Test func negativeSizesAreInvalidInput() {
        let secretError = #expect(throws: CryptoError.self) { try SecretBytes(random: -1) }
        let randomError = #expect(throws: CryptoError.self) { try SecureRandom.bytes(-1) }

        #expect(secretError?.code == .invalidInput)
        #expect(randomError?.code == .invalidInput)
    }

    @Test func secureRandomReturnsTheRequestedCountOfFreshBytes() throws {
        let first = try SecureRandom.bytes(32)
        let second = try SecureRandom.bytes(32)

        #expect(first.count == 32)
        #expect(first != second)
        #expect(try SecureRandom.bytes(0).isEmpty)
    }

    @Test func errorsCompareByCodeOnly() {
        let integrity = CryptoError(.integrity, reason: "one")

        #expect(integrity == CryptoError(.integrity, reason: "another", line: 1))
        #expect(integrity != CryptoError(.library, reason: "one"))
    }

    @Test func errorDescriptionNamesCodeAndPlaceButNotKeyBytes() {
        let key = SecretBytes([UInt8](repeating: 0xab, count: 31))

        let error = #expect(throws: CryptoError.self) {
            try AESGCM.seal([0xcd, 0xcd], key: key, nonce: [UInt8](repeating: 0, count: 12), authenticating: [])
        }

        let text = error?.description ?? ""
        #expect(text.contains("invalidInput"))
        #expect(text.contains("AESGCM.swift"))
        #expect(!text.contains("abab") && !text.contains("171"))
    }
}
