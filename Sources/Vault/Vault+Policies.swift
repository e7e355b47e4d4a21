import Database
import Foundation

extension Vault {
    /// Stores `policy`, replacing one of the same name. The built-in `root` policy cannot be written.
    public func putPolicy(_ policy: Policy) throws(VaultError) {
        guard policy.name != Vault.rootPolicy else {
            throw VaultError(.invalidPolicy, "the root policy is built in and cannot be changed")
        }
        let text = Vault.encodeRules(policy.rules)
        let now = nowSeconds
        _ = try write { connection in
            try connection.run(
                """
                INSERT INTO policies (name, rules, created_at, updated_at) VALUES (?1, ?2, ?3, ?3)
                ON CONFLICT (name) DO UPDATE SET rules = ?2, updated_at = ?3
                """, .text(policy.name), .text(text), .integer(now))
        }
        policyCache.withLock { $0[policy.name] = policy }
    }

    /// The stored policy called `name`; `root` is reported as one rule granting everything.
    public func policy(named name: String) throws(VaultError) -> Policy {
        try Policy.validateName(name)
        if name == Vault.rootPolicy {
            return try Policy(name: name, rules: [PolicyRule(path: "**", capabilities: Set(Capability.grants))])
        }
        guard let policy = try loadPolicy(name) else {
            throw VaultError(.notFound, "no policy called \(name)")
        }
        return policy
    }

    /// Every policy name, `root` included, sorted.
    public func policyNames() throws(VaultError) -> [String] {
        let stored = try read { connection in
            try connection.query("SELECT name FROM policies ORDER BY name").compactMap { $0.text(0) }
        }
        return ([Vault.rootPolicy] + stored).sorted()
    }

    /// Removes a policy. Tokens naming it keep the name and are granted nothing by it.
    public func deletePolicy(named name: String) throws(VaultError) {
        try Policy.validateName(name)
        guard name != Vault.rootPolicy else {
            throw VaultError(.invalidPolicy, "the root policy is built in and cannot be deleted")
        }
        let removed = try write { connection in
            try connection.run("DELETE FROM policies WHERE name = ?", .text(name))
        }
        policyCache.withLock { $0[name] = nil }
        guard removed > 0 else {
            throw VaultError(.notFound, "no policy called \(name)")
        }
    }

    /// A policy from the cache or the database; nil when there is none of that name.
    func loadPolicy(_ name: String) throws(VaultError) -> Policy? {
        if let cached = policyCache.withLock({ $0[name] }) { return cached }
        let text = try read { connection in
            try connection.queryFirst("SELECT rules FROM policies WHERE name = ?", .text(name))?.text(0)
        }
        guard let text else { return nil }
        let policy = try Policy(name: name, rules: try Vault.decodeRules(text))
        policyCache.withLock { $0[name] = policy }
        return policy
    }

    /// Rules as stored: one line per rule, `capability,capability<TAB>path`. Paths hold no tab or newline.
    static func encodeRules(_ rules: [PolicyRule]) -> String {
        rules.map { rule in
            let capabilities = rule.capabilities.map(\.rawValue).sorted().joined(separator: ",")
            return capabilities + "\t" + rule.path
        }.joined(separator: "\n")
    }

    static func decodeRules(_ text: String) throws(VaultError) -> [PolicyRule] {
        var rules: [PolicyRule] = []
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: "\t", maxSplits: 1)
            guard parts.count == 2 else {
                throw VaultError(.integrity, "a stored policy rule is malformed")
            }
            let names = parts[0].split(separator: ",").map(String.init)
            let capabilities = Set(names.compactMap(Capability.init(rawValue:)))
            guard capabilities.count == names.count else {
                throw VaultError(.integrity, "a stored policy rule names an unknown capability")
            }
            rules.append(try PolicyRule(path: String(parts[1]), capabilities: capabilities))
        }
        return rules
    }
}
