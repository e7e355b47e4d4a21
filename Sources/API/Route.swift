import HTTPServer
import Vault

/// What a route needs before its handler runs.
enum RouteAccess: Sendable {
    /// No token: health, metrics, init, unseal.
    case open
    /// A valid token.
    case token
}

/// One route: a method, a path pattern and a handler.
///
/// Patterns are `/`-separated literals, `{name}` for one segment and at most one `{name+}` for one or
/// more segments, which may be followed by literal segments (`/v1/secrets/{path+}/versions`).
struct Route: Sendable {
    typealias Handler = @Sendable (RequestContext) throws(APIError) -> HTTPResponse
    typealias ReplyHandler = @Sendable (RequestContext) throws(APIError) -> HTTPReply
    typealias StreamHandler = @Sendable (RequestContext) throws(APIError) -> any HTTPBodyConsumer

    /// How the route takes its body and answers.
    enum Kind: Sendable {
        /// The body is collected in memory (up to the limit), then the handler answers at once.
        case collect(Handler)
        /// Like `collect`, but the handler may answer later from another thread (long polls).
        case reply(ReplyHandler)
        /// The caller is authenticated from the head alone, then the body streams into a consumer.
        case stream(StreamHandler)
    }

    let method: String
    let pattern: [PatternSegment]
    let access: RouteAccess
    /// The largest request body the route accepts when it collects the body.
    let bodyLimit: Int
    let kind: Kind

    init(
        _ method: String, _ pattern: String, access: RouteAccess = .token, bodyLimit: Int = 64 * 1024,
        handler: @escaping Handler
    ) {
        self.init(method, pattern, access: access, bodyLimit: bodyLimit, kind: .collect(handler))
    }

    init(
        replying method: String, _ pattern: String, access: RouteAccess = .token, bodyLimit: Int = 64 * 1024,
        handler: @escaping ReplyHandler
    ) {
        self.init(method, pattern, access: access, bodyLimit: bodyLimit, kind: .reply(handler))
    }

    init(streaming method: String, _ pattern: String, access: RouteAccess = .token, handler: @escaping StreamHandler) {
        self.init(method, pattern, access: access, bodyLimit: 0, kind: .stream(handler))
    }

    private init(_ method: String, _ pattern: String, access: RouteAccess, bodyLimit: Int, kind: Kind) {
        self.method = method
        self.pattern = pattern.split(separator: "/").map(PatternSegment.init)
        self.access = access
        self.bodyLimit = bodyLimit
        self.kind = kind
    }

    /// The captured parameters when `segments` fit the pattern.
    func match(_ segments: [String]) -> [String: String]? {
        guard let restIndex = pattern.firstIndex(where: \.isRest) else {
            guard segments.count == pattern.count else { return nil }
            return capture(pattern[...], segments[...])
        }
        let suffixCount = pattern.count - restIndex - 1
        guard segments.count >= restIndex + 1 + suffixCount else { return nil }
        let restEnd = segments.count - suffixCount
        guard var values = capture(pattern[..<restIndex], segments[..<restIndex]),
            let suffix = capture(pattern[(restIndex + 1)...], segments[restEnd...])
        else { return nil }
        values.merge(suffix) { first, _ in first }
        values[pattern[restIndex].name] = segments[restIndex..<restEnd].joined(separator: "/")
        return values
    }

    private func capture(_ pattern: ArraySlice<PatternSegment>, _ segments: ArraySlice<String>) -> [String: String]? {
        var values: [String: String] = [:]
        for (part, segment) in zip(pattern, segments) {
            switch part {
            case .literal(let text):
                guard text == segment else { return nil }
            case .parameter(let name):
                values[name] = segment
            case .rest:
                return nil
            }
        }
        return values
    }
}

/// One segment of a route pattern.
enum PatternSegment: Sendable {
    case literal(String)
    case parameter(String)
    case rest(String)

    init(_ text: Substring) {
        if text.hasPrefix("{"), text.hasSuffix("+}") {
            self = .rest(String(text.dropFirst().dropLast(2)))
        } else if text.hasPrefix("{"), text.hasSuffix("}") {
            self = .parameter(String(text.dropFirst().dropLast()))
        } else {
            self = .literal(String(text))
        }
    }

    var isRest: Bool {
        if case .rest = self { return true }
        return false
    }

    var name: String {
        switch self {
        case .literal(let text), .parameter(let text), .rest(let text): text
        }
    }
}

extension Route {
    /// The same route with its body limit lowered to at most `limit`.
    func capped(at limit: Int) -> Route {
        Route(copying: self, bodyLimit: min(bodyLimit, limit))
    }

    private init(copying route: Route, bodyLimit: Int) {
        self.method = route.method
        self.pattern = route.pattern
        self.access = route.access
        self.bodyLimit = bodyLimit
        self.kind = route.kind
    }
}
