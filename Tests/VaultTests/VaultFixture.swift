import Cryptography
import Database
import Foundation
import TestSupport
import Timekeeping

@testable import Vault

/// An initialised, unsealed vault in its own temporary directory.
struct VaultFixture {
    let directory = TemporaryDirectory()
    let vault: Vault
    let unsealKey: SecretBytes
    let rootToken: String
    let clock = ManualClock()

    init(options: VaultOptions = VaultOptions()) throws {
        vault = try Vault(database: Database(path: directory.file("vault.db")), options: options, clock: clock)
        let result = try vault.initialize()
        unsealKey = result.unsealKey
        rootToken = result.rootToken
    }

    var databasePath: String { directory.file("vault.db") }

    /// Opens the vault's file a second time, as a fresh process would.
    func reopen(options: VaultOptions = VaultOptions()) throws -> Vault {
        try Vault(database: Database(path: databasePath), options: options, clock: clock)
    }

    /// A plain SQL connection to the same file, for tampering as an attacker with file access would.
    func rawDatabase() throws -> Database {
        try Database(path: databasePath, readerCount: 1)
    }

    func put(_ text: String, at path: String, expectedVersion: Int64? = nil) throws -> Int64 {
        try vault.putSecret(SecretBytes(Array(text.utf8)), at: SecretPath(path), expectedVersion: expectedVersion)
    }

    func read(_ path: String, version: Int64? = nil) throws -> String {
        let secret = try vault.secret(at: SecretPath(path), version: version)
        return String(decoding: secret.value.copyBytes(), as: UTF8.self)
    }
}

/// Runs `body` and returns the vault error code it threw, or nil.
func vaultErrorCode(_ body: () throws -> Void) -> VaultError.Code? {
    do {
        try body()
        return nil
    } catch let error as VaultError {
        return error.code
    } catch {
        return nil
    }
}
