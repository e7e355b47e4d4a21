import Foundation
import HTTPServer
import Vault

/// `/v1/policies`: named sets of path rules. Guarded by capabilities on `sys/policies/NAME`.
enum PolicyRoutes {
    static func make(vault: Vault) -> [Route] {
        [
            Route("GET", "/v1/policies") { context throws(APIError) in
                try context.allowQuery([])
                _ = try VaultCalls.authorize(vault, context, .list, "sys/policies")
                let names = try VaultCalls.run { () throws(VaultError) in try vault.policyNames() }
                return JSONResponse.make(200, ["policies": names])
            },
            Route("PUT", "/v1/policies/{name}") { context throws(APIError) in
                try context.allowQuery([])
                let name = context.parameter("name")
                _ = try VaultCalls.authorize(vault, context, .write, resource(name))
                _ = try JSONBody(context.body, allowed: ["rules"])
                let rules = try parseRules(VaultCalls.object(context.body)["rules"])
                let policy = try VaultCalls.run { () throws(VaultError) in try Policy(name: name, rules: rules) }
                try VaultCalls.run { () throws(VaultError) in try vault.putPolicy(policy) }
                return JSONResponse.make(200, policyObject(policy))
            },
            Route("GET", "/v1/policies/{name}") { context throws(APIError) in
                try context.allowQuery([])
                let name = context.parameter("name")
                let identity = try context.requireIdentity()
                // A token may always read the policies it holds, so it can tell what it is allowed.
                if !identity.policies.contains(name) {
                    _ = try VaultCalls.authorize(vault, context, .read, resource(name))
                }
                let policy = try VaultCalls.run { () throws(VaultError) in try vault.policy(named: name) }
                return JSONResponse.make(200, policyObject(policy))
            },
            Route("DELETE", "/v1/policies/{name}") { context throws(APIError) in
                try context.allowQuery([])
                let name = context.parameter("name")
                _ = try VaultCalls.authorize(vault, context, .delete, resource(name))
                try VaultCalls.run { () throws(VaultError) in try vault.deletePolicy(named: name) }
                return JSONResponse.make(200, ["name": name, "deleted": true])
            },
        ]
    }

    private static func resource(_ name: String) -> String {
        "sys/policies/" + name
    }

    /// `[{"path": "app/*", "capabilities": ["read", "list"]}, ...]`, strictly.
    static func parseRules(_ raw: Any?) throws(APIError) -> [PolicyRule] {
        guard let items = raw as? [Any] else {
            throw APIError.invalidJSON("the field 'rules' is required and must be an array of rule objects")
        }
        var rules: [PolicyRule] = []
        for (index, item) in items.enumerated() {
            guard let rule = item as? [String: Any], Set(rule.keys).isSubset(of: ["path", "capabilities"]),
                let path = rule["path"] as? String, let names = rule["capabilities"] as? [String],
                (rule["capabilities"] as? [Any])?.count == names.count
            else {
                throw APIError.invalidJSON(
                    "rule \(index + 1) must be {\"path\": \"...\", \"capabilities\": [\"read\", ...]} and nothing else")
            }
            var capabilities: Set<Capability> = []
            for name in names {
                guard let capability = Capability(rawValue: name) else {
                    let known = Capability.allCases.map(\.rawValue).joined(separator: ", ")
                    throw APIError(
                        400, "invalid_policy", "rule \(index + 1) names an unknown capability; known: \(known)")
                }
                capabilities.insert(capability)
            }
            rules.append(
                try VaultCalls.run { () throws(VaultError) in
                    try PolicyRule(path: path, capabilities: capabilities)
                })
        }
        return rules
    }

    static func policyObject(_ policy: Policy) -> [String: Any] {
        let rules: [[String: Any]] = policy.rules.map { rule in
            ["path": rule.path, "capabilities": rule.capabilities.map(\.rawValue).sorted()]
        }
        return ["name": policy.name, "rules": rules]
    }
}
