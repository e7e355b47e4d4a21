import Cryptography
import Database
import Foundation

/// Who a request comes from, once its token has been checked.
public struct TokenIdentity: Sendable, Equatable {
    /// The token's public id; safe to log and to show.
    public let id: String
    public let policies: [String]
    public let expiresAt: Int64?
    /// The CI job a job token was issued for; nil for other tokens.
    public var jobID: String? = nil
    /// For a job token, the only secret paths it may lease; nil for policy-governed tokens.
    public var leasePaths: Set<String>? = nil

    /// Whether the token holds the root policy, which grants everything.
    public var isRoot: Bool { policies.contains(Vault.rootPolicy) }
}

extension Vault {
    /// The policy that grants every capability on every path.
    public static let rootPolicy = "root"

    /// Checks a bearer token; throws `unauthenticated` for an unknown, revoked or expired one.
    ///
    /// Tokens are looked up by their SHA-256 hash; the token itself is never stored.
    public func authenticate(token: String) throws(VaultError) -> TokenIdentity {
        let hash = SHA256.digest(Array(token.utf8))
        let now = nowSeconds
        let row = try read { connection in
            try connection.queryFirst(
                "SELECT id, policies, expires_at, revoked_at, job_id, lease_paths FROM tokens WHERE hash = ?",
                .blob(hash))
        }
        guard let row, let id = row.text(0) else {
            throw VaultError(.unauthenticated, "the token is not valid")
        }
        if row.int(3) != nil {
            throw VaultError(.unauthenticated, "the token has been revoked")
        }
        if let expiry = row.int(2), expiry <= now {
            throw VaultError(.unauthenticated, "the token has expired")
        }
        let policies = (row.text(1) ?? "").split(separator: ",").map(String.init)
        let leasePaths = row.text(5).map { Set($0.split(separator: "\n").map(String.init)) }
        return TokenIdentity(
            id: id, policies: policies, expiresAt: row.int(2), jobID: row.text(4), leasePaths: leasePaths)
    }

    static func insertToken(
        _ connection: Connection, id: String, token: String, policies: [String], parentID: String?, createdAt: Int64,
        expiresAt: Int64?, jobID: String? = nil, leasePaths: [String]? = nil
    ) throws {
        try connection.run(
            """
            INSERT INTO tokens (id, hash, policies, parent_id, created_at, expires_at, job_id, lease_paths)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """,
            .text(id), .blob(SHA256.digest(Array(token.utf8))), .text(policies.joined(separator: ",")),
            .optional(parentID), .integer(createdAt), .optional(expiresAt), .optional(jobID),
            .optional(leasePaths?.joined(separator: "\n")))
    }

    /// A new random token: `vlt.` and 256 random bits in base64url.
    static func randomToken() throws(VaultError) -> String {
        "vlt." + base64URL(try randomBytes(32))
    }

    /// A new random public id for a record: 96 random bits in hex.
    static func randomID() throws(VaultError) -> String {
        Hex.encode(try randomBytes(12))
    }

    /// Tokens are printable ASCII without spaces, 16 to 256 characters, so they fit a header.
    static func validateTokenText(_ token: String) throws(VaultError) {
        let printable = token.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7f }
        guard printable, (16...256).contains(token.utf8.count) else {
            throw VaultError(.invalidInput, "a token is 16 to 256 printable characters without spaces")
        }
    }

    static func randomBytes(_ count: Int) throws(VaultError) -> [UInt8] {
        do {
            return try SecureRandom.bytes(count)
        } catch {
            throw VaultError(.integrity, "no random bytes: \(error.reason)")
        }
    }

    private static func base64URL(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }
}
