/// What a token may do on a path; policies grant capabilities.
public enum Capability: String, Sendable, CaseIterable {
    case read, write, list, delete, lease, admin, deny
}

extension Vault {
    /// Throws `forbidden` unless `identity` may use `capability` on `path`.
    ///
    /// Only the root policy exists so far, and it grants everything; any other token is refused.
    /// TODO: evaluate named policies (path globs, deny wins, most specific rule decides) once the
    /// policy store exists.
    public func authorize(_ identity: TokenIdentity, _ capability: Capability, on path: String) throws(VaultError) {
        guard identity.isRoot else {
            throw VaultError(.forbidden, "the token may not \(capability.rawValue) \(path)")
        }
    }
}
