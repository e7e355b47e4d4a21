import Cryptography
import Database
import Foundation

extension Vault {
    /// Stores a new version of the secret at `path` and returns its number.
    ///
    /// - Parameter expectedVersion: check-and-set; `0` means the secret must not exist yet, `n` that
    ///   the current version is `n`. On a mismatch nothing is written.
    @discardableResult
    public func putSecret(_ value: SecretBytes, at path: SecretPath, expectedVersion: Int64? = nil)
        throws(VaultError) -> Int64
    {
        guard value.count <= options.maxValueBytes else {
            throw VaultError(.valueTooLarge, "a secret value is at most \(options.maxValueBytes) bytes")
        }
        let keyring = try unsealedKeyring()
        let now = nowSeconds
        let maxVersions = Int64(options.maxVersions)
        let (version, encryptions) = try write { (connection) throws -> (Int64, Int64) in
            let current = try connection.queryFirst(
                "SELECT current_version FROM secrets WHERE path = ?", .text(path.value))?.int(0)
            if let expectedVersion, expectedVersion != (current ?? 0) {
                throw VaultError(
                    .casMismatch,
                    "check-and-set failed: expected version \(expectedVersion), current is \(current ?? 0)")
            }
            let version = (current ?? 0) + 1
            let binding = CiphertextBinding.secret(path, version: version)
            let ciphertext = try value.withUnsafeBytes { try keyring.seal(Array($0), binding: binding) }
            try connection.run(
                """
                INSERT INTO secrets (path, current_version, created_at, updated_at) VALUES (?1, ?2, ?3, ?3)
                ON CONFLICT (path) DO UPDATE SET current_version = ?2, updated_at = ?3
                """, .text(path.value), .integer(version), .integer(now))
            try connection.run(
                "INSERT INTO secret_versions (path, version, term, ciphertext, created_at) VALUES (?, ?, ?, ?, ?)",
                .text(path.value), .integer(version), .integer(Int64(keyring.activeTerm)), .blob(ciphertext),
                .integer(now))
            try connection.run(
                "DELETE FROM secret_versions WHERE path = ? AND version <= ?", .text(path.value),
                .integer(version - maxVersions))
            let count = try connection.query(
                "UPDATE key_terms SET encryptions = encryptions + 1 WHERE term = ? RETURNING encryptions",
                .integer(Int64(keyring.activeTerm))
            ).first?.int(0)
            return (version, count ?? 0)
        }
        if encryptions >= options.encryptionsPerTerm {
            try rotate()
        }
        return version
    }

    /// Reads and decrypts one version (the current one when `version` is nil).
    public func secret(at path: SecretPath, version: Int64? = nil) throws(VaultError) -> Secret {
        let keyring = try unsealedKeyring()
        let row = try read { (connection) throws -> Row? in
            guard
                let current = try connection.queryFirst(
                    "SELECT current_version FROM secrets WHERE path = ?", .text(path.value))?.int(0)
            else {
                throw VaultError(.notFound, "no secret at \(path)")
            }
            return try connection.queryFirst(
                """
                SELECT version, term, ciphertext, created_at, deleted_at, destroyed_at
                FROM secret_versions WHERE path = ? AND version = ?
                """, .text(path.value), .integer(version ?? current))
        }
        guard let row, let number = row.int(0) else {
            throw VaultError(.notFound, "secret \(path) has no version \(version.map(String.init) ?? "current")")
        }
        if row.int(5) != nil {
            throw VaultError(.destroyed, "version \(number) of \(path) was destroyed")
        }
        if row.int(4) != nil {
            throw VaultError(.deleted, "version \(number) of \(path) is deleted; undelete it to read it")
        }
        guard let ciphertext = row.blob(2) else {
            throw VaultError(.integrity, "version \(number) of \(path) has no ciphertext")
        }
        let value = try keyring.open(ciphertext, binding: .secret(path, version: number))
        return Secret(
            path: path, version: number, value: value, createdAt: row.int(3) ?? 0, keyTerm: UInt32(row.int(1) ?? 0))
    }

    /// Lists secrets whose path starts with `prefix`, in path order, after the path `after`.
    public func listSecrets(prefix: String, after: String? = nil, limit: Int? = nil) throws(VaultError)
        -> [SecretSummary]
    {
        guard SecretPath.isValidPrefix(prefix) else {
            throw VaultError(.invalidPath, "a prefix holds only path characters and '/'")
        }
        _ = try unsealedKeyring()
        let count = min(max(limit ?? options.maxListEntries, 1), options.maxListEntries)
        // Paths are ASCII below 0x7f, so every path with the prefix sorts below prefix + DEL.
        let upper = prefix + "\u{7f}"
        return try read { connection in
            try connection.query(
                """
                SELECT path, current_version, created_at, updated_at FROM secrets
                WHERE path >= ? AND path < ? AND path > ? ORDER BY path LIMIT ?
                """, .text(prefix), .text(upper), .text(after ?? ""), .integer(Int64(count))
            ).map { row in
                SecretSummary(
                    path: row.text(0) ?? "", currentVersion: row.int(1) ?? 0, createdAt: row.int(2) ?? 0,
                    updatedAt: row.int(3) ?? 0)
            }
        }
    }

    /// Every kept version of a secret, oldest first, without values.
    public func secretVersions(at path: SecretPath) throws(VaultError) -> [SecretVersionInfo] {
        _ = try unsealedKeyring()
        let rows = try read { connection in
            try connection.query(
                """
                SELECT version, created_at, deleted_at, destroyed_at, term
                FROM secret_versions WHERE path = ? ORDER BY version
                """, .text(path.value))
        }
        guard !rows.isEmpty else {
            throw VaultError(.notFound, "no secret at \(path)")
        }
        return rows.map { row in
            SecretVersionInfo(
                version: row.int(0) ?? 0, createdAt: row.int(1) ?? 0, deletedAt: row.int(2), destroyedAt: row.int(3),
                keyTerm: UInt32(row.int(4) ?? 0))
        }
    }

    /// Soft-deletes one version (the current one when `version` is nil); it can be undeleted.
    @discardableResult
    public func deleteSecret(at path: SecretPath, version: Int64? = nil) throws(VaultError) -> Int64 {
        try changeVersion(at: path, version: version, change: .delete)
    }

    /// Restores a soft-deleted version.
    public func undeleteSecret(at path: SecretPath, version: Int64) throws(VaultError) {
        _ = try changeVersion(at: path, version: version, change: .undelete)
    }

    /// Wipes a version's ciphertext for good; its metadata stays.
    public func destroySecret(at path: SecretPath, version: Int64) throws(VaultError) {
        _ = try changeVersion(at: path, version: version, change: .destroy)
    }

    private enum VersionChange {
        case delete, undelete, destroy
    }

    private func changeVersion(at path: SecretPath, version: Int64?, change: VersionChange) throws(VaultError)
        -> Int64
    {
        _ = try unsealedKeyring()
        let now = nowSeconds
        return try write { (connection) throws -> Int64 in
            guard
                let current = try connection.queryFirst(
                    "SELECT current_version FROM secrets WHERE path = ?", .text(path.value))?.int(0)
            else {
                throw VaultError(.notFound, "no secret at \(path)")
            }
            let target = version ?? current
            guard
                let row = try connection.queryFirst(
                    "SELECT destroyed_at FROM secret_versions WHERE path = ? AND version = ?", .text(path.value),
                    .integer(target))
            else {
                throw VaultError(.notFound, "secret \(path) has no version \(target)")
            }
            switch change {
            case .delete:
                try connection.run(
                    "UPDATE secret_versions SET deleted_at = ? WHERE path = ? AND version = ? AND deleted_at IS NULL",
                    .integer(now), .text(path.value), .integer(target))
            case .undelete:
                guard row.int(0) == nil else {
                    throw VaultError(.destroyed, "version \(target) of \(path) was destroyed and cannot be undeleted")
                }
                try connection.run(
                    "UPDATE secret_versions SET deleted_at = NULL WHERE path = ? AND version = ?", .text(path.value),
                    .integer(target))
            case .destroy:
                try connection.run(
                    """
                    UPDATE secret_versions SET ciphertext = NULL, destroyed_at = coalesce(destroyed_at, ?)
                    WHERE path = ? AND version = ?
                    """, .integer(now), .text(path.value), .integer(target))
            }
            return target
        }
    }
}
