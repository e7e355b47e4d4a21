import Cryptography
import Database
import Foundation
import Testing

@testable import Vault

@Suite struct CiphertextIntegrityTests {
    private func storedCiphertext(_ fixture: VaultFixture, _ path: String, _ version: Int64) throws -> [UInt8] {
        try #require(
            try fixture.rawDatabase().read { connection in
                try connection.queryFirst(
                    "SELECT ciphertext FROM secret_versions WHERE path = ? AND version = ?", .text(path),
                    .integer(version))?.blob(0)
            })
    }

    private func overwrite(_ fixture: VaultFixture, _ path: String, _ version: Int64, with bytes: [UInt8]) throws {
        try fixture.rawDatabase().write { connection in
            try connection.run(
                "UPDATE secret_versions SET ciphertext = ? WHERE path = ? AND version = ?", .blob(bytes), .text(path),
                .integer(version))
        }
    }

    @Test func storedFormatIsVersionTermNonceCiphertextTag() throws {
        let fixture = try VaultFixture()
        _ = try fixture.put("hello", at: "app/db")
        let stored = try storedCiphertext(fixture, "app/db", 1)
        #expect(stored.count == 1 + 4 + 12 + 5 + 16)
        #expect(stored[0] == 1)
        #expect(Array(stored[1..<5]) == [0, 0, 0, 1])
    }

    @Test func ciphertextCopiedToAnotherSecretFailsWithAnIntegrityError() throws {
        let fixture = try VaultFixture()
        _ = try fixture.put("first-secret-value", at: "app/one")
        _ = try fixture.put("second-secret-value", at: "app/two")
        try overwrite(fixture, "app/two", 1, with: try storedCiphertext(fixture, "app/one", 1))
        #expect(vaultErrorCode { _ = try fixture.read("app/two") } == .integrity)
        #expect(try fixture.read("app/one") == "first-secret-value")
    }

    @Test func ciphertextCopiedToAnotherVersionFailsWithAnIntegrityError() throws {
        let fixture = try VaultFixture()
        _ = try fixture.put("version-one", at: "app/db")
        _ = try fixture.put("version-two", at: "app/db")
        try overwrite(fixture, "app/db", 2, with: try storedCiphertext(fixture, "app/db", 1))
        #expect(vaultErrorCode { _ = try fixture.read("app/db", version: 2) } == .integrity)
    }

    @Test func ciphertextRelabelledWithAnotherTermFailsWithAnIntegrityError() throws {
        let fixture = try VaultFixture()
        _ = try fixture.put("value", at: "app/db")
        try fixture.vault.rotate()
        var stored = try storedCiphertext(fixture, "app/db", 1)
        stored[4] = 2
        try overwrite(fixture, "app/db", 1, with: stored)
        #expect(vaultErrorCode { _ = try fixture.read("app/db") } == .integrity)
    }

    @Test func flippingAnyByteOfAStoredCiphertextFailsWithAnIntegrityError() throws {
        let fixture = try VaultFixture()
        _ = try fixture.put("flip-me", at: "app/db")
        let original = try storedCiphertext(fixture, "app/db", 1)
        for index in original.indices {
            var tampered = original
            tampered[index] ^= 0x01
            try overwrite(fixture, "app/db", 1, with: tampered)
            #expect(vaultErrorCode { _ = try fixture.read("app/db") } == .integrity, "byte \(index)")
        }
        try overwrite(fixture, "app/db", 1, with: Array(original.prefix(20)))
        #expect(vaultErrorCode { _ = try fixture.read("app/db") } == .integrity)
        try overwrite(fixture, "app/db", 1, with: original)
        #expect(try fixture.read("app/db") == "flip-me")
    }

    @Test func plaintextNeverReachesTheDatabaseFileOrItsWAL() throws {
        let fixture = try VaultFixture()
        let value = Hex.encode(try SecureRandom.bytes(24))
        _ = try fixture.put(value, at: "app/db")
        _ = try fixture.put(value, at: "app/db")
        let forms = [
            Data(value.utf8), Data(Hex.encode(Array(value.utf8)).utf8),
            Data(Data(value.utf8).base64EncodedString().utf8),
        ]
        for suffix in ["", "-wal"] {
            let contents = (try? Data(contentsOf: URL(fileURLWithPath: fixture.databasePath + suffix))) ?? Data()
            #expect(!contents.isEmpty || suffix == "-wal")
            for form in forms {
                #expect(contents.range(of: form) == nil, "found in vault.db\(suffix)")
            }
        }
    }
}
