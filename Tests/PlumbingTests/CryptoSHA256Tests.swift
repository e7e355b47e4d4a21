import Cryptography
import Foundation
import Testing

@Suite("SHA-256")
struct CryptoSHA256Tests {
    @Test(
        "digest matches the FIPS 180 examples",
        arguments: [
            ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
            ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
            (
                "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
                "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
            ),
        ]
    )
    func digestMatchesPublishedValue(message: String, expected: String) {
        #expect(SHA256.hexDigest(Array(message.utf8)) == expected)
        #expect(Hex.encode(SHA256.digest(Array(message.utf8))) == expected)
    }

    @Test func streamingAMillionLettersMatchesPublishedValue() throws {
        let hasher = try SHA256Hasher()
        let chunk = [UInt8](repeating: UInt8(ascii: "a"), count: 1_000)

        for _ in 0..<1_000 {
            hasher.update(chunk)
        }

        #expect(Hex.encode(hasher.finalize()) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test func streamingInOddSizedChunksEqualsOneShot() throws {
        let message = try SecureRandom.bytes(100_003)
        let hasher = try SHA256Hasher()
        let sizes = [1, 3, 7, 63, 64, 65, 127, 1_000, 4_099]

        var offset = 0
        var turn = 0
        while offset < message.count {
            let end = min(offset + sizes[turn % sizes.count], message.count)
            message[offset..<end].withUnsafeBytes { hasher.update($0) }
            offset = end
            turn += 1
        }

        #expect(hasher.finalize() == SHA256.digest(message))
    }

    @Test func emptyUpdatesDoNotChangeTheDigest() throws {
        let hasher = try SHA256Hasher()

        hasher.update([])
        hasher.update(Array("abc".utf8))
        hasher.update([])

        #expect(hasher.finalize() == SHA256.digest(Array("abc".utf8)))
    }

    @Test func finalizeResetsTheHasherForReuse() throws {
        let hasher = try SHA256Hasher()
        hasher.update(Array("first message".utf8))
        _ = hasher.finalize()

        hasher.update(Array("abc".utf8))

        #expect(Hex.encode(hasher.finalize()) == SHA256.hexDigest(Array("abc".utf8)))
        #expect(hasher.finalize() == SHA256.digest([]))
    }

    @Test func digestOfDataEqualsDigestOfItsBytes() {
        let bytes = Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)

        #expect(SHA256.digest(Data(bytes)) == SHA256.digest(bytes))
    }

    @Test func digestOfMultiRegionDataEqualsDigestOfItsBytes() throws {
        let first = Array("abcdbcdecdefdefgefghfghighijhijk".utf8)
        let second = Array("ijkljklmklmnlmnomnopnopq".utf8)
        var data = DispatchData.empty
        first.withUnsafeBytes { data.append($0) }
        second.withUnsafeBytes { data.append($0) }
        try #require(data.regions.count == 2)

        #expect(SHA256.digest(data) == SHA256.digest(first + second))
    }

    @Test func digestsHaveThirtyTwoBytes() {
        #expect(SHA256.digest([]).count == SHA256.digestSize)
        #expect(SHA256.hexDigest([1, 2, 3]).count == 64)
    }
}
