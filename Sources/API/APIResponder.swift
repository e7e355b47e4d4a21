import Foundation
import HTTPServer
import Logging
import Vault

/// Maps HTTP requests onto the domain modules. Holds no business rules: it parses, authenticates,
/// calls the domain, and turns results and errors into responses.
public final class APIResponder: HTTPResponder {
    private let vault: Vault
    private let logger: Logger
    private let routes: [Route]
    let metrics = Metrics()

    /// Creates the responder for `vault`.
    public init(vault: Vault, logger: Logger, maxRequestBytes: Int = 1 << 20) {
        self.vault = vault
        self.logger = logger
        var routes: [Route] = []
        routes += HealthRoutes.make(vault: vault, metrics: metrics)
        routes += OperatorRoutes.make(vault: vault)
        routes += SecretRoutes.make(vault: vault)
        self.routes = routes.map { $0.capped(at: maxRequestBytes) }
    }

    public func route(_ head: HTTPRequestHead) -> HTTPRoute {
        let segments: [String]
        do {
            segments = try APIResponder.segments(of: head.path)
        } catch {
            return .respond(finish(head, route: "invalid", error.response))
        }
        let candidates = routes.compactMap { route in route.match(segments).map { (route, $0) } }
        guard let (route, parameters) = candidates.first(where: { $0.0.method == head.method }) else {
            if candidates.isEmpty {
                let response = APIError(404, "not_found", "no route for \(head.method) \(APIResponder.shown(head.path))")
                return .respond(finish(head, route: "unknown", response.response))
            }
            let allowed = Set(candidates.map(\.0.method)).sorted().joined(separator: ", ")
            var response = APIError(405, "method_not_allowed", "\(head.method) is not allowed here; use \(allowed)")
                .response
            response.headers.add("Allow", allowed)
            return .respond(finish(head, route: candidates[0].0.patternText, response))
        }
        let pattern = route.patternText
        if case .stream(let handler) = route.kind {
            do {
                let context = try context(for: HTTPRequest(head: head), route: route, parameters: parameters)
                return .stream(MeteredConsumer(try handler(context)) { [self] in finish(head, route: pattern, $0) })
            } catch {
                return .respond(finish(head, route: pattern, error.response))
            }
        }
        return .collect(limit: route.bodyLimit) { [self] request in
            switch handle(request, route: route, parameters: parameters) {
            case .now(let response):
                return .now(finish(head, route: pattern, response))
            case .later(let start):
                return .later { complete in start { complete(self.finish(head, route: pattern, $0)) } }
            }
        }
    }

    private func handle(_ request: HTTPRequest, route: Route, parameters: [String: String]) -> HTTPReply {
        do {
            let context = try context(for: request, route: route, parameters: parameters)
            switch route.kind {
            case .collect(let handler): return .now(try handler(context))
            case .reply(let handler): return try handler(context)
            case .stream: return .now(APIError(500, "internal", "a streaming route was collected").response)
            }
        } catch {
            return .now(error.response)
        }
    }

    private func context(for request: HTTPRequest, route: Route, parameters: [String: String]) throws(APIError)
        -> RequestContext
    {
        var identity: TokenIdentity?
        if case .token = route.access {
            identity = try authenticate(request.head)
        }
        return RequestContext(request: request, parameters: parameters, identity: identity)
    }

    private func authenticate(_ head: HTTPRequestHead) throws(APIError) -> TokenIdentity {
        guard let header = head.headers["Authorization"] else {
            throw APIError(401, "unauthenticated", "this route needs an Authorization: Bearer token")
        }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer", !parts[1].isEmpty else {
            throw APIError(401, "unauthenticated", "the Authorization header must be 'Bearer <token>'")
        }
        do {
            return try vault.authenticate(token: String(parts[1]))
        } catch {
            throw APIError(error)
        }
    }

    private func finish(_ head: HTTPRequestHead, route: String, _ response: HTTPResponse) -> HTTPResponse {
        metrics.record(method: head.method, route: route, status: response.status)
        logger.debug("request answered", ["http.method": head.method, "http.route": route, "http.status": "\(response.status)"])
        return response
    }

    /// Splits a raw path into decoded segments; rejects bad escapes and empty segments.
    static func segments(of path: String) throws(APIError) -> [String] {
        guard path.hasPrefix("/") else {
            throw APIError.badRequest("the request path must start with '/'")
        }
        var segments: [String] = []
        for raw in path.dropFirst().split(separator: "/", omittingEmptySubsequences: false) {
            guard let segment = PercentDecoding.decode(raw) else {
                throw APIError.badRequest("the request path holds an invalid percent-encoding")
            }
            segments.append(segment)
        }
        if segments == [""] { return [] }
        return segments
    }

    /// A path for an error message: bounded and printable.
    static func shown(_ path: String) -> String {
        let printable = path.unicodeScalars.filter { $0.value >= 0x20 && $0.value < 0x7f }
        return String(String.UnicodeScalarView(printable.prefix(120)))
    }
}

extension Route {
    /// The pattern as written, for metrics and logs.
    var patternText: String {
        "/" + pattern.map { segment in
            switch segment {
            case .literal(let text): text
            case .parameter(let name): "{\(name)}"
            case .rest(let name): "{\(name)+}"
            }
        }.joined(separator: "/")
    }
}

extension Error {
    /// Any error as an API response.
    var response: HTTPResponse {
        APIError(self).response
    }
}
