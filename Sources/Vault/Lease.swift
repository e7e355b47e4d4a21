import Cryptography
import Database

/// A grant of one secret version to one token for a limited time and, optionally, a limited number of reads.
///
/// The lease itself holds no value: reading it decrypts the leased version again.
public struct Lease: Sendable, Equatable {
    /// Where a lease stands. Only `active` leases hand out their value.
    public enum State: String, Sendable {
        case active
        case expired
        case revoked
        case usedUp = "used_up"
    }

    /// The lease id: 128 random bits in hex. It is a capability of its holder; the audit log hashes it.
    public let id: String
    public let tokenID: String
    public let jobID: String?
    public let path: String
    public let version: Int64
    /// The TTL asked for, in seconds; renewals without an increment extend by this much.
    public let ttl: Int64
    public let createdAt: Int64
    public let expiresAt: Int64
    /// No renewal moves the expiry past this.
    public let maxExpiresAt: Int64
    /// Reads left; nil when unlimited.
    public let usesLeft: Int64?
    /// The state at the time of reading, with expiry already applied even if the sweeper has not run.
    public let state: State
    public let endedAt: Int64?

    /// Reads the columns `id, token_id, job_id, path, version, ttl, created_at, expires_at, max_expires_at,
    /// uses_left, state, ended_at`, in that order.
    init(row: Row, now: Int64) {
        id = row.text(0) ?? ""
        tokenID = row.text(1) ?? ""
        jobID = row.text(2)
        path = row.text(3) ?? ""
        version = row.int(4) ?? 0
        ttl = row.int(5) ?? 0
        createdAt = row.int(6) ?? 0
        expiresAt = row.int(7) ?? 0
        maxExpiresAt = row.int(8) ?? 0
        usesLeft = row.int(9)
        let stored = State(rawValue: row.text(10) ?? "") ?? .revoked
        if stored == .active, expiresAt <= now {
            state = .expired
            endedAt = expiresAt
        } else {
            state = stored
            endedAt = row.int(11)
        }
    }

    /// Throws the 410-class error that fits a lease which is no longer active.
    func requireActive() throws(VaultError) {
        switch state {
        case .active: return
        case .expired: throw VaultError(.leaseExpired, "the lease has expired")
        case .revoked: throw VaultError(.leaseRevoked, "the lease has been revoked")
        case .usedUp: throw VaultError(.leaseUsedUp, "the lease has no uses left")
        }
    }
}

/// A lease together with the value it grants, as creation and reads return it.
public struct LeasedSecret: Sendable {
    public let lease: Lease
    /// The plaintext; wiped from memory when the last reference goes.
    public let value: SecretBytes
}
