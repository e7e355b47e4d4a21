import Cryptography
import Database
import Foundation

/// Where the vault stands, as `operator status` and `GET /v1/health` report it.
public struct VaultStatus: Sendable, Equatable {
    public var isInitialized: Bool
    public var isSealed: Bool
    /// The key term new writes use; nil while sealed.
    public var activeTerm: UInt32?
    /// How many key terms the keyring holds; nil while sealed.
    public var termCount: Int?
}

/// What `operator init` hands out, once.
public struct InitializationResult: Sendable {
    /// The root key, which unseals the vault. Shown once, never stored by the server.
    public let unsealKey: SecretBytes
    /// The root token: every capability, no expiry.
    public let rootToken: String
}

extension Vault {
    /// The current seal state.
    public func status() -> VaultStatus {
        state.withLock { state in
            switch state {
            case .uninitialized:
                VaultStatus(isInitialized: false, isSealed: true, activeTerm: nil, termCount: nil)
            case .sealed:
                VaultStatus(isInitialized: true, isSealed: true, activeTerm: nil, termCount: nil)
            case .unsealed(let keyring, _):
                VaultStatus(
                    isInitialized: true, isSealed: false, activeTerm: keyring.activeTerm, termCount: keyring.terms.count
                )
            }
        }
    }

    /// Creates the root key, the keyring and the root token, and leaves the vault unsealed.
    ///
    /// - Parameter rootToken: a chosen root token (dev mode); a random one when nil.
    public func initialize(rootToken chosen: String? = nil) throws(VaultError) -> InitializationResult {
        let rootKey = try Keyring.randomKey()
        let now = nowSeconds
        let keyring = try Keyring.generate(createdAt: now)
        var plaintext = keyring.serialized()
        defer { plaintext.wipe() }
        let stored = try SealedValue.seal(plaintext, key: rootKey, term: 0, binding: .keyring).encoded()
        let token: String
        if let chosen {
            token = chosen
        } else {
            token = try Vault.randomToken()
        }
        try Vault.validateTokenText(token)
        let rootID = try Vault.randomID()

        try state.withLock { (state) throws(VaultError) in
            guard case .uninitialized = state else {
                throw VaultError(.alreadyInitialized, "the vault is already initialized")
            }
            try write { connection in
                try connection.run("INSERT INTO vault_meta (name, value) VALUES ('keyring', ?)", .blob(stored))
                try connection.run("INSERT INTO key_terms (term, created_at) VALUES (?, ?)", .integer(1), .integer(now))
                try Vault.insertToken(
                    connection, id: rootID, token: token, policies: [Vault.rootPolicy], parentID: nil, createdAt: now,
                    expiresAt: nil)
            }
            state = .unsealed(keyring, rootKey: rootKey)
        }
        return InitializationResult(unsealKey: rootKey, rootToken: token)
    }

    /// Opens the keyring with the root key. Unsealing an unsealed vault checks the key and changes nothing.
    public func unseal(key: SecretBytes) throws(VaultError) {
        guard key.count == AESGCM.keySize else {
            throw VaultError(.wrongUnsealKey, "an unseal key is \(AESGCM.keySize) bytes, base64-encoded")
        }
        let stored: [UInt8]? = try read { connection in
            try connection.queryFirst("SELECT value FROM vault_meta WHERE name = 'keyring'")?.blob(0)
        }
        guard let stored else {
            throw VaultError(.notInitialized, "the vault is not initialized; run `vaultctl operator init`")
        }
        let plaintext: SecretBytes
        do {
            plaintext = try SealedValue(decoding: stored).open(key: key, binding: .keyring)
        } catch {
            throw VaultError(.wrongUnsealKey, "the unseal key does not open this vault's keyring")
        }
        let keyring = try Keyring(serialized: plaintext)
        state.withLock { state in
            if case .unsealed = state { return }
            state = .unsealed(keyring, rootKey: key)
        }
    }

    /// Forgets the keyring and the root key; secrets cannot be read until the next unseal.
    public func seal() throws(VaultError) {
        try state.withLock { (state) throws(VaultError) in
            switch state {
            case .uninitialized:
                throw VaultError(.notInitialized, "the vault is not initialized")
            case .sealed, .unsealed:
                state = .sealed
            }
        }
    }

    /// Adds a new key term; new writes use it, older versions keep opening with their own term.
    @discardableResult
    public func rotate() throws(VaultError) -> UInt32 {
        let now = nowSeconds
        return try state.withLock { (state) throws(VaultError) -> UInt32 in
            guard case .unsealed(var keyring, let rootKey) = state else {
                throw VaultError(.sealed, "the vault is sealed; run `vaultctl operator unseal`")
            }
            let term = try keyring.rotate(createdAt: now)
            var plaintext = keyring.serialized()
            defer { plaintext.wipe() }
            let stored = try SealedValue.seal(plaintext, key: rootKey, term: 0, binding: .keyring).encoded()
            try write { connection in
                try connection.run("UPDATE vault_meta SET value = ? WHERE name = 'keyring'", .blob(stored))
                try connection.run(
                    "INSERT INTO key_terms (term, created_at) VALUES (?, ?)", .integer(Int64(term)), .integer(now))
            }
            state = .unsealed(keyring, rootKey: rootKey)
            return term
        }
    }
}
