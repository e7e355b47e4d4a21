import Cryptography
import Testing

@Suite("Hex and constant-time comparison")
struct CryptoEncodingTests {
    @Test func hexEncodesLowerCaseTwoDigitsPerByte() {
        #expect(Hex.encode([0x00, 0x0f, 0xa0, 0xff, 0x3c]) == "000fa0ff3c")
        #expect(Hex.encode([]) == "")
    }

    @Test func hexRoundTripsEveryByteValue() throws {
        let bytes = (0...255).map { UInt8($0) }

        let decoded = try #require(Hex.decode(Hex.encode(bytes)))

        #expect(decoded == bytes)
    }

    @Test func hexDecodesUpperAndMixedCase() {
        #expect(Hex.decode("DEADbeef") == [0xde, 0xad, 0xbe, 0xef])
        #expect(Hex.decode("") == [])
    }

    @Test(arguments: ["0", "abc", "0g", "zz", " 00", "00 ", "0x00", "é0", "+1"])
    func hexRejectsOddLengthAndNonHexText(_ text: String) {
        #expect(Hex.decode(text) == nil)
    }

    @Test func constantTimeEqualsAcceptsIdenticalBytes() {
        #expect(ConstantTime.equals([1, 2, 3, 4], [1, 2, 3, 4]))
        #expect(ConstantTime.equals([], []))
    }

    @Test func constantTimeEqualsRejectsAnyDifferingByte() {
        #expect(!ConstantTime.equals([1, 2, 3, 4], [0, 2, 3, 4]))
        #expect(!ConstantTime.equals([1, 2, 3, 4], [1, 2, 3, 5]))
    }

    @Test func constantTimeEqualsRejectsDifferentLengths() {
        #expect(!ConstantTime.equals([1, 2, 3], [1, 2, 3, 4]))
        #expect(!ConstantTime.equals([1, 2, 3, 4], [1, 2, 3]))
        #expect(!ConstantTime.equals([], [0]))
    }
}
