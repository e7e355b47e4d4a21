import Foundation
import HTTPServer
import Vault

/// `/v1/leases`: short-lived grants of secret values. Sealed, every route answers 503.
enum LeaseRoutes {
    static func make(vault: Vault) -> [Route] {
        [
            Route("POST", "/v1/leases") { context throws(APIError) in
                try context.allowQuery([])
                try VaultCalls.requireUnsealed(vault)
                let body = try JSONBody(context.body, allowed: ["secrets", "ttl", "max_ttl", "uses"])
                guard let paths = try VaultCalls.strings(VaultCalls.object(context.body), "secrets") else {
                    throw APIError.invalidJSON("the field 'secrets' is required: an array of secret paths")
                }
                let terms = LeaseTerms(
                    ttl: try VaultCalls.duration(body, "ttl"), maxTTL: try VaultCalls.duration(body, "max_ttl"),
                    uses: try body.optionalInteger("uses", in: 1...1_000_000))
                let holder = try context.requireIdentity()
                let leased = try VaultCalls.run { () throws(VaultError) in
                    try vault.createLeases(paths, for: holder, terms: terms)
                }
                var items: [[String: Any]] = []
                for entry in leased {
                    var object = leaseObject(entry.lease)
                    object["value"] = try text(of: entry)
                    items.append(object)
                }
                return JSONResponse.make(200, ["leases": items])
            },
            Route("GET", "/v1/leases") { context throws(APIError) in
                try context.allowQuery(["token", "job"])
                try VaultCalls.requireUnsealed(vault)
                let caller = try context.requireIdentity()
                let token = context.query("token")
                let job = context.query("job")
                guard token == nil || job == nil else {
                    throw APIError.badRequest("give either 'token' or 'job', not both")
                }
                let leases = try VaultCalls.run { () throws(VaultError) in
                    if let job { return try vault.leases(forJob: job, by: caller) }
                    return try vault.leases(heldBy: token ?? caller.id, by: caller)
                }
                return JSONResponse.make(200, ["leases": leases.map(leaseObject)])
            },
            Route("GET", "/v1/leases/{id}") { context throws(APIError) in
                try context.allowQuery([])
                try VaultCalls.requireUnsealed(vault)
                let caller = try context.requireIdentity()
                let id = context.parameter("id")
                let leased = try VaultCalls.run { () throws(VaultError) in try vault.leasedSecret(id: id, by: caller) }
                var object = leaseObject(leased.lease)
                object["value"] = try text(of: leased)
                return JSONResponse.make(200, object)
            },
            Route("POST", "/v1/leases/{id}/renew") { context throws(APIError) in
                try context.allowQuery([])
                try VaultCalls.requireUnsealed(vault)
                let body = try JSONBody(context.body, allowed: ["increment"])
                let increment = try VaultCalls.duration(body, "increment")
                let caller = try context.requireIdentity()
                let id = context.parameter("id")
                let lease = try VaultCalls.run { () throws(VaultError) in
                    try vault.renewLease(id: id, increment: increment, by: caller)
                }
                var object = leaseObject(lease)
                object["capped"] = lease.expiresAt == lease.maxExpiresAt
                return JSONResponse.make(200, object)
            },
            Route("DELETE", "/v1/leases/{id}") { context throws(APIError) in
                try context.allowQuery([])
                try VaultCalls.requireUnsealed(vault)
                let caller = try context.requireIdentity()
                let id = context.parameter("id")
                let lease = try VaultCalls.run { () throws(VaultError) in try vault.revokeLease(id: id, by: caller) }
                return JSONResponse.make(200, leaseObject(lease))
            },
        ]
    }

    /// A lease's record as JSON; never its value.
    static func leaseObject(_ lease: Lease) -> [String: Any] {
        [
            "id": lease.id, "path": lease.path, "version": lease.version, "token_id": lease.tokenID,
            "job_id": lease.jobID ?? NSNull(), "state": lease.state.rawValue,
            "created_at": JSONResponse.time(lease.createdAt), "expires_at": JSONResponse.time(lease.expiresAt),
            "max_expires_at": JSONResponse.time(lease.maxExpiresAt),
            "uses_left": lease.usesLeft.map { $0 as Any } ?? NSNull(), "ended_at": JSONResponse.time(lease.endedAt),
        ]
    }

    /// The value as JSON text; values are stored as UTF-8 text by the secret routes.
    private static func text(of leased: LeasedSecret) throws(APIError) -> String {
        guard let value = leased.value.withUnsafeBytes({ String(validating: $0, as: UTF8.self) }) else {
            throw APIError(500, "internal", "the stored value is not UTF-8 text")
        }
        return value
    }
}
