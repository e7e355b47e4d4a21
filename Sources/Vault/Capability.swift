/// What a token may do on a path; policies grant capabilities.
public enum Capability: String, Sendable, CaseIterable {
    case read, write, list, delete, lease, admin, deny

    /// Every capability that grants something (all but `deny`).
    public static let grants: [Capability] = allCases.filter { $0 != .deny }
}

extension Vault {
    /// The resource name of a secret path, as routes pass it to ``authorize(_:_:on:)``.
    public static func secretResource(_ path: String) -> String {
        "secrets/" + path
    }

    /// Throws `forbidden` unless `identity` may use `capability` on `resource`.
    ///
    /// Resources are `secrets/<path>` for secrets and `sys/<area>` for the rest. Policy rules name
    /// secrets by their bare path and system areas with their `sys/` prefix, so a rule on `**` never
    /// reaches the system areas. The root policy grants everything. A job token is granted exactly
    /// `lease` on the secret paths it was issued for, and nothing else.
    public func authorize(_ identity: TokenIdentity, _ capability: Capability, on resource: String) throws(VaultError) {
        guard try isAllowed(identity, capability, on: resource) else {
            throw VaultError(.forbidden, "the token may not \(capability.rawValue) \(resource)")
        }
    }

    /// Whether `identity` may use `capability` on `resource`; see ``authorize(_:_:on:)``.
    public func isAllowed(_ identity: TokenIdentity, _ capability: Capability, on resource: String) throws(VaultError)
        -> Bool
    {
        if identity.isRoot { return true }
        let secretPrefix = "secrets/"
        if let leasePaths = identity.leasePaths {
            guard capability == .lease, resource.hasPrefix(secretPrefix) else { return false }
            return leasePaths.contains(String(resource.dropFirst(secretPrefix.count)))
        }
        let isSecret = resource.hasPrefix(secretPrefix)
        let path = isSecret ? String(resource.dropFirst(secretPrefix.count)) : resource
        var rules: [PolicyRule] = []
        for name in identity.policies {
            guard let policy = try loadPolicy(name) else { continue }
            rules += policy.rules.filter { Vault.isSystemRule($0.path) != isSecret }
        }
        return Policy.decide(capability, on: path, rules: rules)
    }

    static func isSystemRule(_ path: String) -> Bool {
        path == "sys" || path.hasPrefix("sys/")
    }
}
