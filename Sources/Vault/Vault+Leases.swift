import Cryptography
import Database
import Foundation

/// What a lease request asks for, beside the secret paths.
public struct LeaseTerms: Sendable {
    /// Seconds until expiry; the vault's default when nil.
    public var ttl: Int64?
    /// The most seconds renewals may reach; the vault's maximum when nil.
    public var maxTTL: Int64?
    /// Reads allowed, the creating read included; unlimited when nil.
    public var uses: Int64?

    public init(ttl: Int64? = nil, maxTTL: Int64? = nil, uses: Int64? = nil) {
        self.ttl = ttl
        self.maxTTL = maxTTL
        self.uses = uses
    }
}

extension Vault {
    /// The resource that lets a token see, renew and revoke the leases of tokens other than its own.
    public static let leasesResource = "sys/leases"

    /// Leases the current version of each secret in `paths` to `holder` and returns the values.
    ///
    /// The holder needs `lease` on every path; one refusal or missing secret leases nothing. A lease
    /// never outlives its token. The creating read counts as the first use.
    public func createLeases(_ paths: [String], for holder: TokenIdentity, terms: LeaseTerms = LeaseTerms())
        throws(VaultError) -> [LeasedSecret]
    {
        var unique: [SecretPath] = []
        for text in paths where !unique.contains(where: { $0.value == text }) {
            unique.append(try SecretPath(text))
        }
        guard !unique.isEmpty, unique.count <= options.maxSecretsPerLease else {
            throw VaultError(.invalidInput, "a lease names 1 to \(options.maxSecretsPerLease) secrets")
        }
        let (ttl, maxTTL) = try leaseDurations(terms)
        if let uses = terms.uses, uses < 1 {
            throw VaultError(.invalidInput, "a lease allows at least 1 use")
        }
        _ = try unsealedKeyring()
        for path in unique {
            try authorize(holder, .lease, on: Vault.secretResource(path.value))
        }
        let secrets = try unique.map { (path) throws(VaultError) in try secret(at: path) }
        let exact = clock.now().timeIntervalSince1970
        let now = Int64(exact.rounded(.down))
        let ceiling = holder.expiresAt ?? Int64.max
        let maxExpiresAt = min(Int64((exact + Double(maxTTL)).rounded(.up)), ceiling)
        let expiresAt = min(Int64((exact + Double(ttl)).rounded(.up)), maxExpiresAt)
        let usesLeft = terms.uses.map { $0 - 1 }
        let ids = try secrets.map { _ throws(VaultError) in Hex.encode(try Vault.randomBytes(16)) }
        let rows = try write { (connection) throws -> [Row] in
            let revoked = try connection.queryFirst("SELECT revoked_at FROM tokens WHERE id = ?", .text(holder.id))
            guard let revoked, revoked.int(0) == nil else {
                throw VaultError(.unauthenticated, "the token has been revoked")
            }
            var rows: [Row] = []
            for (id, secret) in zip(ids, secrets) {
                let row = try connection.queryFirst(
                    """
                    INSERT INTO leases (id, token_id, job_id, path, version, ttl, created_at, expires_at, max_expires_at,
                        uses_left, state, ended_at)
                    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10,
                        CASE WHEN ?10 = 0 THEN 'used_up' ELSE 'active' END, CASE WHEN ?10 = 0 THEN ?7 END)
                    RETURNING id, token_id, job_id, path, version, ttl, created_at, expires_at, max_expires_at,
                        uses_left, 'active', NULL
                    """, .text(id), .text(holder.id), .optional(holder.jobID), .text(secret.path.value),
                    .integer(secret.version), .integer(ttl), .integer(now), .integer(expiresAt), .integer(maxExpiresAt),
                    .optional(usesLeft))
                if let row { rows.append(row) }
            }
            return rows
        }
        return zip(rows, secrets).map { LeasedSecret(lease: Lease(row: $0, now: now), value: $1.value) }
    }

    /// Reads a lease's value again while it is active and has uses left; counts one use.
    public func leasedSecret(id: String, by caller: TokenIdentity) throws(VaultError) -> LeasedSecret {
        let lease = try lease(id: id, by: caller)
        try lease.requireActive()
        let now = nowSeconds
        if lease.usesLeft != nil {
            let counted = try write { connection in
                try connection.run(
                    """
                    UPDATE leases SET uses_left = uses_left - 1,
                        state = CASE WHEN uses_left = 1 THEN 'used_up' ELSE state END,
                        ended_at = CASE WHEN uses_left = 1 THEN ?2 ELSE ended_at END
                    WHERE id = ?1 AND state = 'active' AND expires_at > ?2 AND uses_left > 0
                    """, .text(id), .integer(now))
            }
            if counted == 0 {
                // Another read took the last use, or the lease ended in between: report its state now.
                try self.lease(id: id, by: caller).requireActive()
                throw VaultError(.leaseUsedUp, "the lease has no uses left")
            }
        }
        let secret = try secret(at: SecretPath(lease.path), version: lease.version)
        return LeasedSecret(lease: lease, value: secret.value)
    }

    /// A lease's record, never its value; the caller must hold it, have created its holder, or have
    /// `admin` on `sys/leases`.
    public func lease(id: String, by caller: TokenIdentity) throws(VaultError) -> Lease {
        _ = try unsealedKeyring()
        let now = nowSeconds
        let row = try read { connection in
            try connection.queryFirst(
                """
                SELECT id, token_id, job_id, path, version, ttl, created_at, expires_at, max_expires_at, uses_left,
                    state, ended_at
                FROM leases WHERE id = ?
                """, .text(id))
        }
        guard let row else {
            throw VaultError(.notFound, "no lease with that id")
        }
        let lease = Lease(row: row, now: now)
        try requireLeaseAccess(to: lease.tokenID, jobID: lease.jobID, by: caller)
        return lease
    }

    /// Extends an active lease to `increment` seconds from now (its own TTL when nil), capped at its maximum.
    public func renewLease(id: String, increment: Int64? = nil, by caller: TokenIdentity) throws(VaultError) -> Lease {
        let current = try lease(id: id, by: caller)
        try current.requireActive()
        let seconds = increment ?? current.ttl
        guard seconds > 0, seconds <= options.maxLeaseTTL else {
            throw VaultError(.invalidInput, "a renewal increment is from 1 second to \(options.maxLeaseTTL) seconds")
        }
        let exact = clock.now().timeIntervalSince1970
        let now = Int64(exact.rounded(.down))
        let target = min(Int64((exact + Double(seconds)).rounded(.up)), current.maxExpiresAt)
        let changed = try write { connection in
            try connection.run(
                "UPDATE leases SET expires_at = ?2 WHERE id = ?1 AND state = 'active' AND expires_at > ?3",
                .text(id), .integer(target), .integer(now))
        }
        let renewed = try lease(id: id, by: caller)
        if changed == 0 { try renewed.requireActive() }
        return renewed
    }

    /// Ends a lease at once. Revoking a lease that has already ended changes nothing.
    @discardableResult
    public func revokeLease(id: String, by caller: TokenIdentity) throws(VaultError) -> Lease {
        _ = try lease(id: id, by: caller)
        let now = nowSeconds
        _ = try write { connection in
            try connection.run(
                "UPDATE leases SET state = 'revoked', ended_at = ?2 WHERE id = ?1 AND state = 'active'", .text(id),
                .integer(now))
        }
        return try lease(id: id, by: caller)
    }

    /// The leases held by token `tokenID`, newest first, without values.
    public func leases(heldBy tokenID: String, by caller: TokenIdentity) throws(VaultError) -> [Lease] {
        try requireLeaseAccess(to: tokenID, jobID: nil, by: caller)
        return try leaseRows(tokenID: tokenID, jobID: nil)
    }

    /// The leases of CI job `jobID`, newest first, without values. The job's own token may list them.
    public func leases(forJob jobID: String, by caller: TokenIdentity) throws(VaultError) -> [Lease] {
        let isAdmin = try isAllowed(caller, .admin, on: Vault.leasesResource)
        guard caller.jobID == jobID || isAdmin else {
            throw VaultError(.forbidden, "listing a job's leases needs admin on \(Vault.leasesResource)")
        }
        return try leaseRows(tokenID: nil, jobID: jobID)
    }

    func leaseRows(tokenID: String?, jobID: String?) throws(VaultError) -> [Lease] {
        _ = try unsealedKeyring()
        let now = nowSeconds
        let limit = Int64(options.maxListEntries)
        let rows = try read { connection in
            if let tokenID {
                return try connection.query(
                    """
                    SELECT id, token_id, job_id, path, version, ttl, created_at, expires_at, max_expires_at, uses_left,
                        state, ended_at
                    FROM leases WHERE token_id = ? ORDER BY rowid DESC LIMIT ?
                    """, .text(tokenID), .integer(limit))
            }
            return try connection.query(
                """
                SELECT id, token_id, job_id, path, version, ttl, created_at, expires_at, max_expires_at, uses_left,
                    state, ended_at
                FROM leases WHERE job_id = ? ORDER BY rowid DESC LIMIT ?
                """, .text(jobID ?? ""), .integer(limit))
        }
        return rows.map { Lease(row: $0, now: now) }
    }

    private func requireLeaseAccess(to tokenID: String, jobID: String?, by caller: TokenIdentity) throws(VaultError) {
        if caller.id == tokenID { return }
        if try isAllowed(caller, .admin, on: Vault.leasesResource) { return }
        if caller.leasePaths == nil, try isDescendant(tokenID, of: caller.id) { return }
        throw VaultError(.forbidden, "the lease belongs to another token")
    }

    private func leaseDurations(_ terms: LeaseTerms) throws(VaultError) -> (ttl: Int64, maxTTL: Int64) {
        let maxTTL = terms.maxTTL ?? options.maxLeaseTTL
        guard maxTTL > 0, maxTTL <= options.maxLeaseTTL else {
            throw VaultError(.invalidInput, "a lease's max TTL is from 1 second to \(options.maxLeaseTTL) seconds")
        }
        let ttl = terms.ttl ?? min(options.defaultLeaseTTL, maxTTL)
        guard ttl > 0, ttl <= options.maxLeaseTTL else {
            throw VaultError(.invalidInput, "a lease TTL is from 1 second to \(options.maxLeaseTTL) seconds")
        }
        return (min(ttl, maxTTL), maxTTL)
    }
}
