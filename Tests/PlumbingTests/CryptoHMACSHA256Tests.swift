import Cryptography
import Testing

@Suite("HMAC-SHA256")
struct CryptoHMACSHA256Tests {
    @Test func rfc4231TestCase1() {
        let key = SecretBytes([UInt8](repeating: 0x0b, count: 20))

        let code = HMACSHA256.authenticationCode(for: Array("Hi There".utf8), key: key)

        #expect(Hex.encode(code) == "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7")
    }

    @Test func rfc4231TestCase2ShortKey() {
        let key = SecretBytes(Array("Jefe".utf8))

        let code = HMACSHA256.authenticationCode(for: Array("what do ya want for nothing?".utf8), key: key)

        #expect(Hex.encode(code) == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    }

    @Test func rfc4231TestCase6KeyLongerThanBlock() {
        let key = SecretBytes([UInt8](repeating: 0xaa, count: 131))
        let message = Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8)

        let code = HMACSHA256.authenticationCode(for: message, key: key)

        #expect(Hex.encode(code) == "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54")
    }

    @Test func emptyKeyAndEmptyMessageGiveTheKnownCode() {
        let code = HMACSHA256.authenticationCode(for: [], key: SecretBytes([]))

        #expect(Hex.encode(code) == "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad")
    }

    @Test func differentKeysGiveDifferentCodes() throws {
        let message = Array("lease 42".utf8)

        let first = HMACSHA256.authenticationCode(for: message, key: try SecretBytes(random: 32))
        let second = HMACSHA256.authenticationCode(for: message, key: try SecretBytes(random: 32))

        #expect(first.count == HMACSHA256.codeSize)
        #expect(first != second)
    }
}
