import HTTPServer
import Vault

/// A routed request as handlers see it: captured parameters, query, body and the caller.
struct RequestContext: Sendable {
    let request: HTTPRequest
    let parameters: [String: String]
    /// The authenticated caller; nil on open routes.
    let identity: TokenIdentity?

    var method: String { request.head.method }
    var body: [UInt8] { request.body }

    /// A captured path parameter; routes only ask for names their pattern has.
    func parameter(_ name: String) -> String {
        parameters[name] ?? ""
    }

    /// Rejects query fields the route does not know, so typos are not silently ignored.
    func allowQuery(_ names: Set<String>) throws(APIError) {
        if let unknown = request.head.query.first(where: { !names.contains($0.name) }) {
            let name = String(unknown.name.prefix(40))
            throw APIError.badRequest("unknown query parameter '\(name)'")
        }
    }

    /// An optional query field.
    func query(_ name: String) -> String? {
        request.head.queryValue(name)
    }

    /// An optional whole-number query field within `range`.
    func queryInteger(_ name: String, in range: ClosedRange<Int64>) throws(APIError) -> Int64? {
        guard let text = query(name) else { return nil }
        guard let value = Int64(text), range.contains(value) else {
            throw APIError.badRequest(
                "the query parameter '\(name)' must be a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }

    /// The caller, on routes that require a token.
    func requireIdentity() throws(APIError) -> TokenIdentity {
        guard let identity else {
            throw APIError(401, "unauthenticated", "this route needs an Authorization: Bearer token")
        }
        return identity
    }
}
