import Cryptography
import Foundation
import HTTPServer
import Vault

/// `/v1/secrets`: versioned secrets, their listing and their lifecycle.
enum SecretRoutes {
    /// Room for a value at its largest once JSON-escaped (`\uXXXX` is six bytes), plus the envelope.
    static func bodyLimit(for vault: Vault) -> Int {
        vault.options.maxValueBytes * 6 + 4096
    }

    static func make(vault: Vault) -> [Route] {
        let limit = bodyLimit(for: vault)
        return [
            Route("GET", "/v1/secrets") { context throws(APIError) in
                try context.allowQuery(["prefix", "after", "limit"])
                let prefix = context.query("prefix") ?? ""
                let limit = try context.queryInteger("limit", in: 1...Int64(vault.options.maxListEntries))
                let summaries = try call(context, .list, prefix.isEmpty ? "*" : prefix, vault: vault) {
                    try vault.listSecrets(prefix: prefix, after: context.query("after"), limit: limit.map(Int.init))
                }
                let items: [[String: Any]] = summaries.map { summary in
                    [
                        "path": summary.path, "current_version": summary.currentVersion,
                        "created_at": JSONResponse.time(summary.createdAt),
                        "updated_at": JSONResponse.time(summary.updatedAt),
                    ]
                }
                return JSONResponse.make(200, ["secrets": items])
            },
            Route("GET", "/v1/secrets/{path+}/versions") { context throws(APIError) in
                try context.allowQuery([])
                let path = try secretPath(context)
                let versions = try call(context, .read, path.value, vault: vault) {
                    try vault.secretVersions(at: path)
                }
                let items: [[String: Any]] = versions.map { info in
                    [
                        "version": info.version, "created_at": JSONResponse.time(info.createdAt),
                        "deleted_at": JSONResponse.time(info.deletedAt),
                        "destroyed_at": JSONResponse.time(info.destroyedAt), "key_term": Int(info.keyTerm),
                    ]
                }
                return JSONResponse.make(200, ["path": path.value, "versions": items])
            },
            Route("GET", "/v1/secrets/{path+}") { context throws(APIError) in
                try context.allowQuery(["version"])
                let path = try secretPath(context)
                let version = try context.queryInteger("version", in: 1...Int64.max)
                let secret = try call(context, .read, path.value, vault: vault) {
                    try vault.secret(at: path, version: version)
                }
                guard let value = secret.value.withUnsafeBytes({ String(validating: $0, as: UTF8.self) }) else {
                    throw APIError(500, "internal", "the stored value is not UTF-8 text")
                }
                return JSONResponse.make(
                    200,
                    [
                        "path": path.value, "version": secret.version, "value": value,
                        "created_at": JSONResponse.time(secret.createdAt), "key_term": Int(secret.keyTerm),
                    ])
            },
            Route("PUT", "/v1/secrets/{path+}", bodyLimit: limit) { context throws(APIError) in
                try context.allowQuery([])
                let path = try secretPath(context)
                let body = try JSONBody(context.body, allowed: ["value", "cas"])
                let value = SecretBytes(Array(try body.string("value").utf8))
                let cas = try body.optionalInteger("cas", in: 0...Int64.max)
                let version = try call(context, .write, path.value, vault: vault) {
                    try vault.putSecret(value, at: path, expectedVersion: cas)
                }
                return JSONResponse.make(200, ["path": path.value, "version": version])
            },
            Route("DELETE", "/v1/secrets/{path+}") { context throws(APIError) in
                try context.allowQuery(["version"])
                let path = try secretPath(context)
                let version = try context.queryInteger("version", in: 1...Int64.max)
                let deleted = try call(context, .delete, path.value, vault: vault) {
                    try vault.deleteSecret(at: path, version: version)
                }
                return JSONResponse.make(200, ["path": path.value, "version": deleted, "deleted": true])
            },
            Route("POST", "/v1/secrets/{path+}/undelete") { context throws(APIError) in
                let (path, version) = try versionRequest(context)
                try call(context, .write, path.value, vault: vault) {
                    try vault.undeleteSecret(at: path, version: version)
                }
                return JSONResponse.make(200, ["path": path.value, "version": version, "deleted": false])
            },
            Route("POST", "/v1/secrets/{path+}/destroy") { context throws(APIError) in
                let (path, version) = try versionRequest(context)
                try call(context, .delete, path.value, vault: vault) {
                    try vault.destroySecret(at: path, version: version)
                }
                return JSONResponse.make(200, ["path": path.value, "version": version, "destroyed": true])
            },
        ]
    }

    private static func secretPath(_ context: RequestContext) throws(APIError) -> SecretPath {
        do {
            return try SecretPath(context.parameter("path"))
        } catch {
            throw APIError(error)
        }
    }

    private static func versionRequest(_ context: RequestContext) throws(APIError) -> (SecretPath, Int64) {
        try context.allowQuery([])
        let path = try secretPath(context)
        let body = try JSONBody(context.body, allowed: ["version"])
        return (path, try body.integer("version", in: 1...Int64.max))
    }

    /// Checks the caller may use `capability` on `path`, then runs the vault call.
    @discardableResult
    private static func call<T>(
        _ context: RequestContext, _ capability: Capability, _ path: String, vault: Vault,
        _ body: () throws -> T
    ) throws(APIError) -> T {
        let identity = try context.requireIdentity()
        do {
            // Sealed answers 503 before anything about tokens or paths is revealed.
            guard !vault.status().isSealed else {
                throw VaultError(vault.status().isInitialized ? .sealed : .notInitialized, "the vault is sealed")
            }
            try vault.authorize(identity, capability, on: "secrets/" + path)
            return try body()
        } catch {
            throw APIError(error)
        }
    }
}
