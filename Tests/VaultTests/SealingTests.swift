import Cryptography
import Foundation
import Testing

@testable import Vault

@Suite struct SealingTests {
    @Test func sealedVaultRefusesSecretsUntilUnsealed() throws {
        let fixture = try VaultFixture()
        _ = try fixture.put("one", at: "app/db")
        try fixture.vault.seal()
        #expect(fixture.vault.status().isSealed)
        #expect(vaultErrorCode { _ = try fixture.read("app/db") } == .sealed)
        #expect(vaultErrorCode { _ = try fixture.put("two", at: "app/db") } == .sealed)
        try fixture.vault.unseal(key: fixture.unsealKey)
        #expect(try fixture.read("app/db") == "one")
    }

    @Test func wrongUnsealKeyIsRefusedAndLeavesTheVaultSealed() throws {
        let fixture = try VaultFixture()
        try fixture.vault.seal()
        let wrong = try SecretBytes(random: 32)
        #expect(vaultErrorCode { try fixture.vault.unseal(key: wrong) } == .wrongUnsealKey)
        #expect(vaultErrorCode { try fixture.vault.unseal(key: SecretBytes([1, 2, 3])) } == .wrongUnsealKey)
        #expect(fixture.vault.status().isSealed)
    }

    @Test func reopenedVaultStartsSealedAndKeepsEverySecret() throws {
        let fixture = try VaultFixture()
        for number in 1...20 {
            _ = try fixture.put("value-\(number)", at: "app/s\(number)")
        }
        let reopened = try fixture.reopen()
        #expect(reopened.status() == VaultStatus(isInitialized: true, isSealed: true, activeTerm: nil, termCount: nil))
        try reopened.unseal(key: fixture.unsealKey)
        for number in 1...20 {
            let secret = try reopened.secret(at: SecretPath("app/s\(number)"))
            #expect(String(decoding: secret.value.copyBytes(), as: UTF8.self) == "value-\(number)")
        }
    }

    @Test func secondInitializationIsRefused() throws {
        let fixture = try VaultFixture()
        #expect(vaultErrorCode { _ = try fixture.vault.initialize() } == .alreadyInitialized)
        #expect(vaultErrorCode { _ = try fixture.reopen().initialize() } == .alreadyInitialized)
    }

    @Test func rotationMovesNewWritesToANewTermAndOldVersionsStillOpen() throws {
        let fixture = try VaultFixture()
        _ = try fixture.put("before", at: "app/db")
        #expect(try fixture.vault.rotate() == 2)
        _ = try fixture.put("after", at: "app/db")
        let old = try fixture.vault.secret(at: SecretPath("app/db"), version: 1)
        let new = try fixture.vault.secret(at: SecretPath("app/db"), version: 2)
        #expect(old.keyTerm == 1 && new.keyTerm == 2)
        #expect(String(decoding: old.value.copyBytes(), as: UTF8.self) == "before")
        let reopened = try fixture.reopen()
        try reopened.unseal(key: fixture.unsealKey)
        #expect(reopened.status().activeTerm == 2)
        #expect(
            String(decoding: try reopened.secret(at: SecretPath("app/db"), version: 1).value.copyBytes(), as: UTF8.self)
                == "before")
    }

    @Test func termRotatesByItselfAtItsEncryptionLimit() throws {
        let fixture = try VaultFixture(options: VaultOptions(encryptionsPerTerm: 3))
        for number in 1...7 {
            _ = try fixture.put("v\(number)", at: "app/db\(number)")
        }
        #expect(fixture.vault.status().activeTerm == 3)
        for number in 1...7 {
            #expect(try fixture.read("app/db\(number)") == "v\(number)")
        }
    }

    @Test func rootTokenAuthenticatesAndIsStoredOnlyAsAHash() throws {
        let fixture = try VaultFixture()
        let identity = try fixture.vault.authenticate(token: fixture.rootToken)
        #expect(identity.isRoot)
        #expect(
            vaultErrorCode { _ = try fixture.vault.authenticate(token: "vlt.not-a-real-token-at-all") }
                == .unauthenticated)
        let file = try Data(contentsOf: URL(fileURLWithPath: fixture.databasePath))
        let wal = (try? Data(contentsOf: URL(fileURLWithPath: fixture.databasePath + "-wal"))) ?? Data()
        #expect(file.range(of: Data(fixture.rootToken.utf8)) == nil)
        #expect(wal.range(of: Data(fixture.rootToken.utf8)) == nil)
    }
}
