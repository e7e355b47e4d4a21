import Cryptography
import Database
import Foundation

/// A registered runner, as the job routes see the caller.
public struct RunnerIdentity: Sendable, Equatable {
    public let id: String
    public let name: String
    public let labels: [String]
    public let capacity: Int
}

extension CIController {
    /// Creates a registration token; one-time unless `reusable` (dev mode keeps a reusable one).
    public func createRegistrationToken(reusable: Bool = false, ttlSeconds: Int64? = 86_400) throws(CIError) -> String {
        let token = "vrr." + (try CIController.randomHex(24))
        let time = now
        try write { connection in
            try connection.run(
                """
                INSERT INTO ci_registration_tokens (token_hash, created_at, expires_at, reusable)
                VALUES (?, ?, ?, ?)
                """, .blob(SHA256.digest(Array(token.utf8))), .integer(time), .optional(ttlSeconds.map { time + $0 }),
                .bool(reusable))
        }
        return token
    }

    /// Registers a runner with a registration token; returns its id and its own token (shown once).
    public func registerRunner(registrationToken: String, name: String, labels: [String], capacity: Int)
        throws(CIError) -> (id: String, token: String)
    {
        guard !name.isEmpty, name.count <= 100 else {
            throw CIError(.invalidInput, "a runner name is 1 to 100 characters")
        }
        guard (1...64).contains(capacity) else {
            throw CIError(.invalidInput, "capacity is 1 to 64 jobs")
        }
        guard labels.count <= 32, labels.allSatisfy(CIController.isLabel) else {
            throw CIError(.invalidInput, "labels are at most 32 words of [A-Za-z0-9._-]")
        }
        let id = try CIController.randomHex(8)
        let token = "vrt." + (try CIController.randomHex(32))
        let time = now
        try write { (connection) throws in
            let hash = SHA256.digest(Array(registrationToken.utf8))
            guard
                let row = try connection.queryFirst(
                    "SELECT expires_at, used_at, reusable FROM ci_registration_tokens WHERE token_hash = ?", .blob(hash)
                )
            else {
                throw CIError(.unauthenticated, "the registration token is not valid")
            }
            if let expiry = row.int(0), expiry <= time {
                throw CIError(.unauthenticated, "the registration token has expired")
            }
            if !row.bool(2) {
                guard row.int(1) == nil else {
                    throw CIError(.unauthenticated, "the registration token was already used")
                }
                try connection.run(
                    "UPDATE ci_registration_tokens SET used_at = ? WHERE token_hash = ?", .integer(time), .blob(hash))
            }
            try connection.run(
                """
                INSERT INTO ci_runners (id, name, labels, capacity, token_hash, created_at)
                VALUES (?, ?, ?, ?, ?, ?)
                """, .text(id), .text(name), .text(JSONEncoder.text(labels.sorted())), .integer(Int64(capacity)),
                .blob(SHA256.digest(Array(token.utf8))), .integer(time))
        }
        logger.info("runner registered", ["runner.id": id, "runner.name": name])
        return (id, token)
    }

    /// Checks a runner token; the token itself is stored only as its SHA-256.
    public func authenticateRunner(token: String) throws(CIError) -> RunnerIdentity {
        let row = try read { connection in
            try connection.queryFirst(
                "SELECT id, name, labels, capacity FROM ci_runners WHERE token_hash = ?",
                .blob(SHA256.digest(Array(token.utf8))))
        }
        guard let row else { throw CIError(.unauthenticated, "the runner token is not valid") }
        return RunnerIdentity(
            id: row.text(0) ?? "", name: row.text(1) ?? "",
            labels: JSONDecoder.value([String].self, from: row.text(2)) ?? [], capacity: Int(row.int(3) ?? 1))
    }

    static func isLabel(_ label: String) -> Bool {
        !label.isEmpty && label.count <= 64
            && label.utf8.allSatisfy {
                ($0 >= 48 && $0 <= 57) || ($0 >= 65 && $0 <= 90) || ($0 >= 97 && $0 <= 122) || $0 == 45 || $0 == 46
                    || $0 == 95
            }
    }

    static func randomHex(_ count: Int) throws(CIError) -> String {
        do {
            return Hex.encode(try SecureRandom.bytes(count))
        } catch {
            throw CIError(.unavailable, "no random bytes: \(error.reason)")
        }
    }
}
