import Database
import Foundation

/// A token as it is handed out, once: the secret token and its public facts.
public struct IssuedToken: Sendable {
    /// The public id, safe to log; used to revoke the token.
    public let id: String
    /// The bearer token itself. Shown once; only its SHA-256 is stored.
    public let token: String
    public let policies: [String]
    public let expiresAt: Int64?
}

/// What is known of a token, never the token itself.
public struct TokenInfo: Sendable, Equatable {
    public let id: String
    public let policies: [String]
    public let parentID: String?
    public let jobID: String?
    public let createdAt: Int64
    public let expiresAt: Int64?
    public let revokedAt: Int64?
}

/// How much one revocation ended.
public struct RevocationResult: Sendable, Equatable {
    /// Tokens revoked: the one named and its descendants that were still live.
    public let tokens: Int
    /// Leases of those tokens that were still active.
    public let leases: Int
}

extension Vault {
    /// The resource that guards handing out arbitrary policies and revoking foreign tokens.
    public static let tokensResource = "sys/tokens"

    /// Creates a child token of `parent` holding `policies`, living `ttl` seconds (capped by the parent).
    ///
    /// A token may hand on only policies it holds itself, unless it has `admin` on `sys/tokens`; only a
    /// root token hands on `root`. Job tokens create no tokens. Every named policy must exist.
    public func createToken(parent: TokenIdentity, policies: [String], ttl: Int64? = nil) throws(VaultError)
        -> IssuedToken
    {
        guard parent.leasePaths == nil else {
            throw VaultError(.forbidden, "a job token cannot create tokens")
        }
        let wanted = Array(Set(policies)).sorted()
        let mayGrantAny = try isAllowed(parent, .admin, on: Vault.tokensResource)
        for name in wanted {
            try Policy.validateName(name)
            if name == Vault.rootPolicy {
                guard parent.isRoot else { throw VaultError(.forbidden, "only a root token can create a root token") }
                continue
            }
            guard mayGrantAny || parent.policies.contains(name) else {
                throw VaultError(.forbidden, "the token may not hand on the policy \(name), which it does not hold")
            }
            guard try loadPolicy(name) != nil else {
                throw VaultError(.invalidInput, "no policy called \(name)")
            }
        }
        let seconds = ttl ?? options.defaultTokenTTL
        guard seconds > 0, seconds <= options.maxTokenTTL else {
            throw VaultError(.invalidInput, "a token TTL is from 1 second to \(options.maxTokenTTL) seconds")
        }
        let now = nowSeconds
        let expiresAt = min(now + seconds, parent.expiresAt ?? Int64.max)
        let token = try Vault.randomToken()
        let id = try Vault.randomID()
        try write { connection in
            try Vault.insertToken(
                connection, id: id, token: token, policies: wanted, parentID: parent.id, createdAt: now,
                expiresAt: expiresAt)
        }
        return IssuedToken(id: id, token: token, policies: wanted, expiresAt: expiresAt)
    }

    /// The facts of the token with public id `id`.
    public func tokenInfo(id: String) throws(VaultError) -> TokenInfo {
        let row = try read { connection in
            try connection.queryFirst(
                """
                SELECT id, policies, parent_id, job_id, created_at, expires_at, revoked_at
                FROM tokens WHERE id = ?
                """, .text(id))
        }
        guard let row, let found = row.text(0) else {
            throw VaultError(.notFound, "no token with id \(Vault.shownID(id))")
        }
        return TokenInfo(
            id: found, policies: (row.text(1) ?? "").split(separator: ",").map(String.init), parentID: row.text(2),
            jobID: row.text(3), createdAt: row.int(4) ?? 0, expiresAt: row.int(5), revokedAt: row.int(6))
    }

    /// Revokes the token `id`, its descendants and all their leases, on behalf of `caller`.
    ///
    /// A caller may revoke itself and its descendants; others need `admin` on `sys/tokens`.
    @discardableResult
    public func revokeToken(id: String, by caller: TokenIdentity) throws(VaultError) -> RevocationResult {
        _ = try tokenInfo(id: id)
        if id != caller.id, try !isAllowed(caller, .admin, on: Vault.tokensResource) {
            guard try isDescendant(id, of: caller.id) else {
                throw VaultError(.forbidden, "the token may revoke only itself and the tokens it created")
            }
        }
        return try revokeTokenTree(id: id)
    }

    /// Revokes a token, its descendants and their leases in one transaction, without a permission check.
    func revokeTokenTree(id: String) throws(VaultError) -> RevocationResult {
        let now = nowSeconds
        return try write { connection in
            let tokens = try connection.run(
                """
                WITH RECURSIVE tree(id) AS (
                    SELECT id FROM tokens WHERE id = ?1
                    UNION SELECT tokens.id FROM tokens JOIN tree ON tokens.parent_id = tree.id
                )
                UPDATE tokens SET revoked_at = ?2 WHERE id IN tree AND revoked_at IS NULL
                """, .text(id), .integer(now))
            let leases = try connection.run(
                """
                WITH RECURSIVE tree(id) AS (
                    SELECT id FROM tokens WHERE id = ?1
                    UNION SELECT tokens.id FROM tokens JOIN tree ON tokens.parent_id = tree.id
                )
                UPDATE leases SET state = 'revoked', ended_at = ?2 WHERE token_id IN tree AND state = 'active'
                """, .text(id), .integer(now))
            return RevocationResult(tokens: tokens, leases: leases)
        }
    }

    /// Whether token `id` was created, directly or through others, by token `ancestor`.
    func isDescendant(_ id: String, of ancestor: String) throws(VaultError) -> Bool {
        try read { connection in
            try connection.queryFirst(
                """
                WITH RECURSIVE up(id, parent_id) AS (
                    SELECT id, parent_id FROM tokens WHERE id = ?1
                    UNION SELECT tokens.id, tokens.parent_id FROM tokens JOIN up ON tokens.id = up.parent_id
                )
                SELECT 1 FROM up WHERE id = ?2
                """, .text(id), .text(ancestor)) != nil
        }
    }

    /// An id from a request, bounded and printable for an error message.
    static func shownID(_ id: String) -> String {
        String(id.unicodeScalars.filter { $0.value > 0x20 && $0.value < 0x7f }.prefix(64).map(Character.init))
    }
}
