import ArtifactStore
import CIBridge
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
    /// Writes the audit trail; nil only in tests that do not look at it.
    private let audit: AuditRecorder?
    let metrics = Metrics()

    /// Creates the responder for `vault`.
    public init(
        vault: Vault, logger: Logger, maxRequestBytes: Int = 1 << 20, artifacts: ArtifactStore? = nil,
        audit: AuditLog? = nil, ci: CIController? = nil
    ) {
        self.vault = vault
        self.logger = logger
        var routes: [Route] = []
        routes += HealthRoutes.make(vault: vault, metrics: metrics)
        routes += OperatorRoutes.make(vault: vault)
        routes += SecretRoutes.make(vault: vault)
        routes += artifacts.map { ArtifactRoutes.make(store: $0, vault: vault) } ?? []
        routes += TokenRoutes.make(vault: vault)
        routes += PolicyRoutes.make(vault: vault)
        routes += LeaseRoutes.make(vault: vault)
        routes += audit.map { AuditRoutes.make(vault: vault, log: $0) } ?? []
        if let ci {
            routes += WebhookRoutes.make(ci: ci)
            routes += RepositoryRoutes.make(ci: ci, vault: vault)
            routes += RunnerRoutes.make(ci: ci, vault: vault)
            routes += PipelineRoutes.make(ci: ci, vault: vault)
        }
        self.audit = audit.map { AuditRecorder(log: $0, logger: logger) }
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
                let response = APIError(
                    404, "not_found", "no route for \(head.method) \(APIResponder.shown(head.path))")
                return .respond(finish(head, route: "unknown", response.response))
            }
            let allowed = Set(candidates.map(\.0.method)).sorted().joined(separator: ", ")
            var response = APIError(405, "method_not_allowed", "\(head.method) is not allowed here; use \(allowed)")
                .response
            response.headers.add("Allow", allowed)
            return .respond(finish(head, route: candidates[0].0.patternText, response))
        }
        let pattern = route.patternText
        let ticket = audit?.ticket(head, route: pattern, parameters: parameters)
        if case .stream(let handler) = route.kind {
            do {
                let context = try context(for: HTTPRequest(head: head), route: route, parameters: parameters)
                if let audit, let ticket {
                    try audit.recordRequest(ticket, identity: context.identity, body: [])
                }
                let consumer = try handler(context)
                return .stream(MeteredConsumer(consumer) { [self] in finish(head, route: pattern, $0, ticket: ticket) })
            } catch {
                return .respond(finish(head, route: pattern, error.response, ticket: ticket))
            }
        }
        return .collect(limit: route.bodyLimit) { [self] request in
            switch handle(request, route: route, parameters: parameters, ticket: ticket) {
            case .now(let response):
                return .now(finish(head, route: pattern, response, ticket: ticket))
            case .later(let start):
                return .later { complete in start { complete(self.finish(head, route: pattern, $0, ticket: ticket)) } }
            }
        }
    }

    private func handle(_ request: HTTPRequest, route: Route, parameters: [String: String], ticket: AuditTicket?)
        -> HTTPReply
    {
        do {
            let context = try context(for: request, route: route, parameters: parameters)
            // The request line is written before the handler runs: if it cannot be, nothing happens.
            if let audit, let ticket {
                try audit.recordRequest(ticket, identity: context.identity, body: request.body)
            }
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

    private func finish(_ head: HTTPRequestHead, route: String, _ response: HTTPResponse, ticket: AuditTicket? = nil)
        -> HTTPResponse
    {
        // The response line is written before the answer leaves; if it cannot be, a bare 503 goes instead.
        var response = response
        if let audit {
            response = audit.recordResponse(ticket ?? audit.ticket(head, route: route), response)
        }
        metrics.record(method: head.method, route: route, status: response.status)
        logger.debug(
            "request answered", ["http.method": head.method, "http.route": route, "http.status": "\(response.status)"])
        return response
    }

    /// Splits a raw path into decoded segments; rejects bad escapes and empty segments.
    static func segments(of path: String) throws(APIError) -> [String] {
        guard path.hasPrefix("/") else {
            throw APIError.badRequest("the request path must start with '/'")
        }
        var segments: [String] = []
        for raw in path.dropFirst().split(separator: "/", omittingEmptySubsequences: false) {
            guard let segment = PercentEncoding.decodePathSegment(raw) else {
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
        "/"
            + pattern.map { segment in
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
