import Cryptography
import Foundation
import Testing

@testable import Vault

@Suite struct SecretVersioningTests {
    @Test func writesMakeVersionsAndReadsReturnTheRequestedOne() throws {
        let fixture = try VaultFixture()
        #expect(try fixture.put("one", at: "app/db") == 1)
        #expect(try fixture.put("two", at: "app/db") == 2)
        #expect(try fixture.read("app/db") == "two")
        #expect(try fixture.read("app/db", version: 1) == "one")
        let versions = try fixture.vault.secretVersions(at: SecretPath("app/db"))
        #expect(versions.map(\.version) == [1, 2])
    }

    @Test func checkAndSetMismatchWritesNothing() throws {
        let fixture = try VaultFixture()
        _ = try fixture.put("one", at: "app/db", expectedVersion: 0)
        #expect(vaultErrorCode { _ = try fixture.put("late", at: "app/db", expectedVersion: 0) } == .casMismatch)
        #expect(vaultErrorCode { _ = try fixture.put("stale", at: "app/db", expectedVersion: 7) } == .casMismatch)
        #expect(try fixture.read("app/db") == "one")
        #expect(try fixture.vault.secretVersions(at: SecretPath("app/db")).count == 1)
        #expect(try fixture.put("two", at: "app/db", expectedVersion: 1) == 2)
    }

    @Test func onlyTheNewestMaxVersionsAreKept() throws {
        let fixture = try VaultFixture(options: VaultOptions(maxVersions: 3))
        for number in 1...5 {
            _ = try fixture.put("value \(number)", at: "app/db")
        }
        let versions = try fixture.vault.secretVersions(at: SecretPath("app/db"))
        #expect(versions.map(\.version) == [3, 4, 5])
        #expect(vaultErrorCode { _ = try fixture.read("app/db", version: 2) } == .notFound)
    }

    @Test func deleteHidesAVersionUntilUndeleted() throws {
        let fixture = try VaultFixture()
        _ = try fixture.put("one", at: "app/db")
        _ = try fixture.put("two", at: "app/db")
        #expect(try fixture.vault.deleteSecret(at: SecretPath("app/db")) == 2)
        #expect(vaultErrorCode { _ = try fixture.read("app/db") } == .deleted)
        #expect(try fixture.read("app/db", version: 1) == "one")
        try fixture.vault.undeleteSecret(at: SecretPath("app/db"), version: 2)
        #expect(try fixture.read("app/db") == "two")
    }

    @Test func destroyWipesTheCiphertextForGood() throws {
        let fixture = try VaultFixture()
        _ = try fixture.put("one", at: "app/db")
        try fixture.vault.destroySecret(at: SecretPath("app/db"), version: 1)
        #expect(vaultErrorCode { _ = try fixture.read("app/db") } == .destroyed)
        #expect(vaultErrorCode { try fixture.vault.undeleteSecret(at: SecretPath("app/db"), version: 1) } == .destroyed)
        let stored = try fixture.rawDatabase().read { connection in
            try connection.queryFirst("SELECT ciphertext FROM secret_versions WHERE path = 'app/db'")?[0]
        }
        #expect(stored == .null)
    }

    @Test func missingSecretsAndVersionsAreNotFound() throws {
        let fixture = try VaultFixture()
        #expect(vaultErrorCode { _ = try fixture.read("app/none") } == .notFound)
        _ = try fixture.put("one", at: "app/db")
        #expect(vaultErrorCode { _ = try fixture.read("app/db", version: 9) } == .notFound)
        #expect(
            vaultErrorCode { _ = try fixture.vault.deleteSecret(at: SecretPath("app/db"), version: 9) } == .notFound)
    }

    @Test func listingReturnsMetadataUnderAPrefixInOrder() throws {
        let fixture = try VaultFixture()
        for path in ["app/b", "app/a", "apple/x", "other/y", "app/c/d"] {
            _ = try fixture.put("v", at: path)
        }
        #expect(try fixture.vault.listSecrets(prefix: "app/").map(\.path) == ["app/a", "app/b", "app/c/d"])
        #expect(try fixture.vault.listSecrets(prefix: "app").map(\.path) == ["app/a", "app/b", "app/c/d", "apple/x"])
        #expect(try fixture.vault.listSecrets(prefix: "app/", after: "app/a", limit: 1).map(\.path) == ["app/b"])
        #expect(vaultErrorCode { _ = try fixture.vault.listSecrets(prefix: "../") } == .invalidPath)
    }

    @Test func valuesOverTheLimitAreRefused() throws {
        let fixture = try VaultFixture(options: VaultOptions(maxValueBytes: 16))
        #expect(
            vaultErrorCode { _ = try fixture.put(String(repeating: "x", count: 17), at: "app/db") } == .valueTooLarge)
        #expect(try fixture.put(String(repeating: "x", count: 16), at: "app/db") == 1)
    }

    @Test(arguments: [
        ("app/db", true), ("a", true), ("A-Z_0.9/x", true), (String(repeating: "a", count: 256), true),
        ("", false), ("/app", false), ("app/", false), ("app//db", false), ("app/../db", false), ("./app", false),
        ("app/..", false), ("app db", false), ("app/d%b", false), ("ключ", false),
        (String(repeating: "a", count: 257), false),
        ("app\\db", false), ("app/db\n", false),
    ])
    func pathsFollowTheSegmentRules(path: String, isValid: Bool) {
        #expect(((try? SecretPath(path)) != nil) == isValid)
    }
}
