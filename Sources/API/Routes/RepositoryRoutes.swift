import CIBridge
import Foundation
import HTTPServer
import Vault

/// `PUT /v1/repos/{name}` and `GET /v1/repos`: the repositories the controller builds.
enum RepositoryRoutes {
    static func make(ci: CIController, vault: Vault) -> [Route] {
        [
            Route("PUT", "/v1/repos/{name+}") { context throws(APIError) in
                try context.allowQuery([])
                try VaultCalls.requireUnsealed(vault)
                _ = try VaultCalls.authorize(vault, context, .admin, "ci/repos")
                let body = try JSONBody(context.body, allowed: ["clone_url", "webhook_secret", "status"])
                let object = VaultCalls.object(context.body)
                let status = try statusTarget(object["status"])
                let name = context.parameter("name")
                let cloneURL = try body.string("clone_url")
                let webhookSecret = try body.optionalString("webhook_secret").map { Array($0.utf8) }
                try CICalls.run { () throws(CIError) in
                    try ci.putRepository(
                        name: name, cloneURL: cloneURL, webhookSecret: webhookSecret, status: status.target,
                        statusToken: status.token.map { Array($0.utf8) })
                }
                return JSONResponse.make(200, json(try CICalls.run { () throws(CIError) in try ci.repository(name) }))
            },
            Route("GET", "/v1/repos") { context throws(APIError) in
                try context.allowQuery([])
                _ = try VaultCalls.authorize(vault, context, .read, "ci/repos")
                let all = try CICalls.run { () throws(CIError) in try ci.repositories() }
                return JSONResponse.make(200, ["repos": all.map(json)])
            },
        ]
    }

    static func json(_ repository: RepositoryInfo) -> [String: Any] {
        [
            "name": repository.name, "clone_url": repository.cloneURL,
            "status": ["kind": repository.status.kind.rawValue, "url": repository.status.url ?? NSNull()]
                as [String: Any],
            "created_at": JSONResponse.time(repository.createdAt),
            "updated_at": JSONResponse.time(repository.updatedAt),
        ]
    }

    private static func statusTarget(_ raw: Any?) throws(APIError) -> (target: StatusTarget, token: String?) {
        guard let raw, !(raw is NSNull) else { return (StatusTarget(kind: .none, url: nil), nil) }
        guard let object = raw as? [String: Any] else {
            throw APIError.invalidJSON("the field 'status' must be an object with 'kind', 'url' and 'token'")
        }
        if let unknown = object.keys.first(where: { !["kind", "url", "token"].contains($0) }) {
            throw APIError.invalidJSON("unknown field 'status.\(unknown.prefix(40))'; known: 'kind', 'url', 'token'")
        }
        guard let kindText = object["kind"] as? String, let kind = StatusTarget.Kind(rawValue: kindText) else {
            throw APIError.invalidJSON("status.kind is one of github, gitlab, generic, none")
        }
        let url = object["url"] as? String
        if object["url"] != nil, url == nil, !(object["url"] is NSNull) {
            throw APIError.invalidJSON("status.url must be a string")
        }
        let token = object["token"] as? String
        if object["token"] != nil, token == nil, !(object["token"] is NSNull) {
            throw APIError.invalidJSON("status.token must be a string")
        }
        return (StatusTarget(kind: kind, url: url), token)
    }
}
