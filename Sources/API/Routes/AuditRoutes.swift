import Foundation
import HTTPServer
import Vault

/// `POST /v1/audit/hash`: the digest a value would have in the audit log, for searching the log.
///
/// The key never leaves the server; this route is how `vaultctl audit hash` gets a digest. It needs
/// `admin` on `sys/audit`, because answering digests for chosen values lets a caller test guesses.
enum AuditRoutes {
    static func make(vault: Vault, log: AuditLog) -> [Route] {
        [
            Route("POST", "/v1/audit/hash") { context throws(APIError) in
                try context.allowQuery([])
                _ = try VaultCalls.authorize(vault, context, .admin, "sys/audit")
                let body = try JSONBody(context.body, allowed: ["value"])
                let value = try body.string("value")
                return JSONResponse.make(200, ["digest": log.digest(value)])
            }
        ]
    }
}
