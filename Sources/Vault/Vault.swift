import Cryptography
import Database
import Foundation
import Synchronization
import Timekeeping

/// The secrets vault: key terms and sealing, versioned secrets, tokens, policies and leases, over one SQLite file.
///
/// All calls block on SQLite; callers keep them off Swift's cooperative thread pool.
public final class Vault: Sendable {
    enum SealState {
        case uninitialized
        case sealed
        case unsealed(Keyring, rootKey: SecretBytes)
    }

    let database: Database
    let clock: any WallClock
    public let options: VaultOptions
    let state: Mutex<SealState>
    /// Parsed policies by name, filled on first use and dropped when a policy changes.
    let policyCache = Mutex<[String: Policy]>([:])

    /// Opens the vault stored in `database`, applying its migrations; it starts sealed (or uninitialized).
    public init(database opened: Database, options: VaultOptions = VaultOptions(), clock: any WallClock = SystemClock())
        throws(VaultError)
    {
        do {
            try opened.migrate(VaultSchema.namespace, VaultSchema.migrations)
        } catch {
            throw VaultError(.storage, "cannot prepare the vault tables: \(error.reason)")
        }
        database = opened
        self.clock = clock
        self.options = options
        let initialized = try Vault.storage { () throws -> Bool in
            try opened.read { try $0.queryFirst("SELECT 1 FROM vault_meta WHERE name = 'keyring'") != nil }
        }
        state = Mutex(initialized ? .sealed : .uninitialized)
    }

    /// The current time as whole seconds since 1970.
    var nowSeconds: Int64 {
        Int64(clock.now().timeIntervalSince1970.rounded(.down))
    }

    /// Runs database work, turning storage failures into vault errors.
    static func storage<T>(_ body: () throws -> T) throws(VaultError) -> T {
        do {
            return try body()
        } catch let error as VaultError {
            throw error
        } catch let error as DatabaseError {
            let code: VaultError.Code = error.code == .full ? .storageFull : .storage
            throw VaultError(code, "storage failed: \(error.reason)")
        } catch {
            throw VaultError(.storage, "storage failed")
        }
    }

    /// Write-transaction shorthand that maps errors like `storage`.
    func write<T: Sendable>(_ body: (Connection) throws -> T) throws(VaultError) -> T {
        try Vault.storage { try database.write(body) }
    }

    /// Read-transaction shorthand that maps errors like `storage`.
    func read<T: Sendable>(_ body: (Connection) throws -> T) throws(VaultError) -> T {
        try Vault.storage { try database.read(body) }
    }

    /// The keyring, or the reason there is none.
    func unsealedKeyring() throws(VaultError) -> Keyring {
        let current: Keyring? = state.withLock { state in
            if case .unsealed(let keyring, _) = state { return keyring }
            return nil
        }
        if let current { return current }
        switch status().isInitialized {
        case false: throw VaultError(.notInitialized, "the vault is not initialized; run `vaultctl operator init`")
        case true: throw VaultError(.sealed, "the vault is sealed; run `vaultctl operator unseal`")
        }
    }
}
