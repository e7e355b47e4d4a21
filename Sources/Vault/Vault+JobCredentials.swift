import Database
import Foundation

/// The token a CI job uses to lease its declared secrets, as handed to its runner.
public struct JobCredential: Sendable {
    public let jobID: String
    /// The token's public id.
    public let tokenID: String
    /// The bearer token; only its SHA-256 is stored.
    public let token: String
    /// The only secret paths this token may lease.
    public let secretPaths: [String]
    public let expiresAt: Int64
}

extension Vault {
    /// Issues a job token for `jobID` that may lease exactly `secretPaths` and nothing else, for `ttl` seconds.
    ///
    /// For the CI controller, when a runner claims a job. The token holds no policy; its leases carry the
    /// job id, so ``revokeJobCredentials(jobID:)`` ends them all in one call.
    ///
    /// - Parameter connection: a write transaction of the shared database to issue the token in, so
    ///   that it commits (or rolls back) with the caller's own change, such as a job's claim.
    public func issueJobCredential(
        jobID: String, secretPaths: [String], ttl: Int64, in connection: Connection? = nil
    ) throws(VaultError) -> JobCredential {
        guard (1...128).contains(jobID.utf8.count), jobID.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7f }) else {
            throw VaultError(.invalidInput, "a job id is 1 to 128 printable characters without spaces")
        }
        guard ttl > 0, ttl <= options.maxTokenTTL else {
            throw VaultError(.invalidInput, "a job token TTL is from 1 second to \(options.maxTokenTTL) seconds")
        }
        var paths: [String] = []
        for text in secretPaths where !paths.contains(text) {
            paths.append(try SecretPath(text).value)
        }
        let token = try Vault.randomToken()
        let id = try Vault.randomID()
        let now = nowSeconds
        let credential = JobCredential(
            jobID: jobID, tokenID: id, token: token, secretPaths: paths, expiresAt: now + ttl)
        guard let connection else {
            try write { connection in try Vault.insertJobToken(connection, credential, createdAt: now) }
            return credential
        }
        try Vault.storage { try Vault.insertJobToken(connection, credential, createdAt: now) }
        return credential
    }

    private static func insertJobToken(_ connection: Connection, _ credential: JobCredential, createdAt: Int64) throws {
        try Vault.insertToken(
            connection, id: credential.tokenID, token: credential.token, policies: [], parentID: nil,
            createdAt: createdAt, expiresAt: credential.expiresAt, jobID: credential.jobID,
            leasePaths: credential.secretPaths)
    }

    /// Revokes every token issued for `jobID` and every lease under them, in one transaction.
    ///
    /// Safe to call more than once and for a job that never got a token: it then ends nothing.
    @discardableResult
    public func revokeJobCredentials(jobID: String, in connection: Connection? = nil) throws(VaultError)
        -> RevocationResult
    {
        let now = nowSeconds
        guard let connection else {
            return try write { connection in try Vault.revokeJob(jobID, at: now, connection) }
        }
        return try Vault.storage { try Vault.revokeJob(jobID, at: now, connection) }
    }

    private static func revokeJob(_ jobID: String, at now: Int64, _ connection: Connection) throws -> RevocationResult {
        let tokens = try connection.run(
            "UPDATE tokens SET revoked_at = ?2 WHERE job_id = ?1 AND revoked_at IS NULL", .text(jobID), .integer(now))
        let leases = try connection.run(
            """
            UPDATE leases SET state = 'revoked', ended_at = ?2 WHERE job_id = ?1 AND state = 'active'
            """, .text(jobID), .integer(now))
        return RevocationResult(tokens: tokens, leases: leases)
    }

    /// Every lease taken for `jobID`, newest first, without values.
    public func jobLeases(jobID: String) throws(VaultError) -> [Lease] {
        try leaseRows(tokenID: nil, jobID: jobID)
    }
}
