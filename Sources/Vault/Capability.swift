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
    /// Resources are `secrets/<path>` for secrets and `<area>/<name>` for the rest, where the areas
    /// are `sys`, `artifacts`, `blobs` and `ci`. Policy rules name secrets by their bare path and the
    /// other areas with their prefix (`artifacts/*`), so a rule on `**` never reaches an area. The
    /// root policy grants everything. A job token is granted exactly `lease` on the secret paths it
    /// was issued for, plus `write` on artifacts so that its runner can upload the job's outputs.
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
            if capability == .write, resource.hasPrefix("artifacts/") { return true }
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

    /// The areas other than secrets that policy rules can name by prefix.
    static let areas = ["sys", "artifacts", "blobs", "ci"]

    /// Whether a rule path names an area rather than secrets.
    static func isSystemRule(_ path: String) -> Bool {
        areas.contains { path == $0 || path.hasPrefix($0 + "/") }
    }
}
