import Foundation

/// Policies, tokens and secrets made through the API, for access-control and audit tests.
extension LiveServer {
    /// Stores a policy and returns a token holding it.
    func token(rules: String, ttl: String = "1h") throws -> (id: String, token: String) {
        let name = "p" + String(UInt32.random(in: 0...UInt32.max))
        let stored = try curl("PUT", "/v1/policies/\(name)", body: "{\"rules\": \(rules)}", token: rootToken)
        guard stored.status == 200 else { throw LiveServerError(message: "policy: \(stored.body)") }
        let created = try curl(
            "POST", "/v1/tokens", body: "{\"policies\": [\"\(name)\"], \"ttl\": \"\(ttl)\"}", token: rootToken)
        guard let id = created.json?["id"] as? String, let token = created.json?["token"] as? String else {
            throw LiveServerError(message: "token: \(created.body)")
        }
        return (id, token)
    }

    func putSecret(_ path: String, _ value: String) throws {
        let result = try curl("PUT", "/v1/secrets/\(path)", body: "{\"value\": \"\(value)\"}", token: rootToken)
        guard result.status == 200 else { throw LiveServerError(message: "secret: \(result.body)") }
    }
}

struct LiveServerError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}

extension CurlResult {
    /// The leases of a `POST /v1/leases` answer.
    var leases: [[String: Any]] {
        json?["leases"] as? [[String: Any]] ?? []
    }
}
