import Foundation
import Timekeeping
import Vault

/// Small helpers the token, policy, lease and audit routes share: vault calls with their errors
/// mapped, and the JSON fields `JSONBody` does not read (arrays, durations).
enum VaultCalls {
    /// Runs a vault call, mapping its error through the one status table.
    static func run<T>(_ body: () throws(VaultError) -> T) throws(APIError) -> T {
        do {
            return try body()
        } catch {
            throw APIError(error)
        }
    }

    /// Answers 503 while the vault is sealed, before anything about tokens or paths is revealed.
    static func requireUnsealed(_ vault: Vault) throws(APIError) {
        let status = vault.status()
        guard status.isSealed else { return }
        throw APIError(VaultError(status.isInitialized ? .sealed : .notInitialized, "the vault is sealed"))
    }

    /// Throws 403 unless the caller may use `capability` on `resource`.
    static func authorize(_ vault: Vault, _ context: RequestContext, _ capability: Capability, _ resource: String)
        throws(APIError) -> TokenIdentity
    {
        let identity = try context.requireIdentity()
        try run { () throws(VaultError) in try vault.authorize(identity, capability, on: resource) }
        return identity
    }

    /// The request body as a JSON object (already checked for unknown fields by `JSONBody`).
    static func object(_ bytes: [UInt8]) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(bytes))) as? [String: Any] ?? [:]
    }

    /// An optional array of strings; null counts as absent.
    static func strings(_ object: [String: Any], _ key: String) throws(APIError) -> [String]? {
        guard let raw = object[key], !(raw is NSNull) else { return nil }
        guard let array = raw as? [Any], let strings = array as? [String], strings.count == array.count else {
            throw APIError.invalidJSON("the field '\(key)' must be an array of strings")
        }
        return strings
    }

    /// An optional duration such as `90s`, `15m`, `2h`, `7d`, in seconds.
    static func duration(_ body: JSONBody, _ key: String) throws(APIError) -> Int64? {
        guard let text = try body.optionalString(key) else { return nil }
        guard let seconds = DurationParsing.seconds(from: text) else {
            throw APIError.invalidJSON("the field '\(key)' must be a duration such as 90s, 15m, 2h or 7d")
        }
        return seconds
    }

    /// The expiry as JSON: an RFC 3339 time, or null for none.
    static func time(_ seconds: Int64?) -> Any {
        JSONResponse.time(seconds)
    }
}
