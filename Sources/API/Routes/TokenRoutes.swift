import Foundation
import HTTPServer
import Vault

/// `/v1/tokens`: child tokens, looking up the caller's own token, and revocation.
enum TokenRoutes {
    static func make(vault: Vault) -> [Route] {
        [
            Route("POST", "/v1/tokens") { context throws(APIError) in
                try context.allowQuery([])
                let body = try JSONBody(context.body, allowed: ["policies", "ttl"])
                let policies = try VaultCalls.strings(VaultCalls.object(context.body), "policies") ?? []
                let ttl = try VaultCalls.duration(body, "ttl")
                let parent = try context.requireIdentity()
                let issued = try VaultCalls.run { () throws(VaultError) in
                    try vault.createToken(parent: parent, policies: policies, ttl: ttl)
                }
                return JSONResponse.make(
                    200,
                    [
                        "id": issued.id, "token": issued.token, "policies": issued.policies,
                        "expires_at": VaultCalls.time(issued.expiresAt),
                    ])
            },
            Route("GET", "/v1/tokens/self") { context throws(APIError) in
                try context.allowQuery([])
                let identity = try context.requireIdentity()
                let info = try VaultCalls.run { () throws(VaultError) in try vault.tokenInfo(id: identity.id) }
                var object = tokenObject(info)
                if let paths = identity.leasePaths { object["lease_paths"] = paths.sorted() }
                return JSONResponse.make(200, object)
            },
            Route("DELETE", "/v1/tokens/{id}") { context throws(APIError) in
                try context.allowQuery([])
                let caller = try context.requireIdentity()
                let id = context.parameter("id")
                let result = try VaultCalls.run { () throws(VaultError) in try vault.revokeToken(id: id, by: caller) }
                return JSONResponse.make(
                    200, ["id": id, "revoked_tokens": result.tokens, "revoked_leases": result.leases])
            },
        ]
    }

    static func tokenObject(_ info: TokenInfo) -> [String: Any] {
        [
            "id": info.id, "policies": info.policies, "parent_id": info.parentID ?? NSNull(),
            "job_id": info.jobID ?? NSNull(), "created_at": JSONResponse.time(info.createdAt),
            "expires_at": VaultCalls.time(info.expiresAt),
        ]
    }
}
