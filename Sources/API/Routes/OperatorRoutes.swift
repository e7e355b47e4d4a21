import Cryptography
import Foundation
import HTTPServer
import Vault

/// Initialising, unsealing, sealing and rotating keys.
enum OperatorRoutes {
    static func make(vault: Vault) -> [Route] {
        [
            Route("POST", "/v1/operator/init", access: .open) { context throws(APIError) in
                try context.allowQuery([])
                _ = try JSONBody(context.body, allowed: [])
                do {
                    let result = try vault.initialize()
                    let key = result.unsealKey.withUnsafeBytes { Data($0).base64EncodedString() }
                    return JSONResponse.make(200, ["unseal_key": key, "root_token": result.rootToken])
                } catch {
                    throw APIError(error)
                }
            },
            Route("POST", "/v1/operator/unseal", access: .open) { context throws(APIError) in
                try context.allowQuery([])
                let body = try JSONBody(context.body, allowed: ["key"])
                let text = try body.string("key").trimmingCharacters(in: .whitespacesAndNewlines)
                guard let bytes = Data(base64Encoded: text) else {
                    throw APIError(400, "wrong_unseal_key", "the unseal key must be base64")
                }
                do {
                    try vault.unseal(key: SecretBytes(Array(bytes)))
                } catch {
                    throw APIError(error)
                }
                return JSONResponse.make(200, statusObject(vault.status()))
            },
            Route("POST", "/v1/operator/seal") { context throws(APIError) in
                try requireAdmin(context, vault: vault)
                do {
                    try vault.seal()
                } catch {
                    throw APIError(error)
                }
                return JSONResponse.make(200, statusObject(vault.status()))
            },
            Route("POST", "/v1/operator/rotate") { context throws(APIError) in
                try requireAdmin(context, vault: vault)
                do {
                    let term = try vault.rotate()
                    return JSONResponse.make(200, ["term": Int(term)])
                } catch {
                    throw APIError(error)
                }
            },
        ]
    }

    private static func requireAdmin(_ context: RequestContext, vault: Vault) throws(APIError) {
        try context.allowQuery([])
        _ = try JSONBody(context.body, allowed: [])
        do {
            try vault.authorize(try context.requireIdentity(), .admin, on: "sys/operator")
        } catch let error as VaultError {
            throw APIError(error)
        } catch {
            throw error as? APIError ?? APIError(500, "internal", "authorization failed")
        }
    }

    /// The seal status as JSON.
    static func statusObject(_ status: VaultStatus) -> [String: Any] {
        var object: [String: Any] = ["initialized": status.isInitialized, "sealed": status.isSealed]
        if let term = status.activeTerm { object["key_term"] = Int(term) }
        if let count = status.termCount { object["key_terms"] = count }
        return object
    }
}
