import Foundation
import HTTPServer
import Logging
import Synchronization
import Vault

/// Writes the audit lines of HTTP traffic: one before a request is handled, one before its answer is sent.
///
/// Tokens, secret values, unseal keys and lease ids appear only as the log's HMAC digests. Bodies are
/// recorded, redacted, only for the routes in ``bodyRoutes``; every other line holds the route, the
/// path, the caller and the status. When a line cannot be written the request is refused with 503
/// `audit_unavailable` before it is handled, or its answer is replaced by that 503 before it is sent.
final class AuditRecorder: Sendable {
    let log: AuditLog
    private let logger: Logger
    private let requestPrefix: String
    private let counter = Atomic<Int64>(0)

    /// Keys whose string values are always digested, wherever they appear in a recorded body.
    static let secretKeys: Set<String> = ["value", "token", "root_token", "unseal_key", "key"]

    /// Routes whose bodies are recorded (redacted), as `METHOD pattern`.
    static let bodyRoutes: Set<String> = [
        "PUT /v1/secrets/{path+}", "GET /v1/secrets/{path+}", "POST /v1/leases", "GET /v1/leases/{id}",
        "POST /v1/leases/{id}/renew", "DELETE /v1/leases/{id}", "POST /v1/tokens", "GET /v1/tokens/self",
        "PUT /v1/policies/{name}", "POST /v1/operator/init", "POST /v1/operator/unseal",
    ]

    init(log: AuditLog, logger: Logger) {
        self.log = log
        self.logger = logger
        requestPrefix = String(UInt32.random(in: 0...UInt32.max), radix: 16)
    }

    /// A ticket for one request; nothing is written yet.
    func ticket(_ head: HTTPRequestHead, route: String, parameters: [String: String] = [:]) -> AuditTicket {
        let number = counter.add(1, ordering: .relaxed).newValue
        var path = String(head.path.prefix(512))
        // Lease ids are bearer capabilities of their holders: the log keeps only their digests.
        if route.hasPrefix("/v1/leases/{id}"), let id = parameters["id"], !id.isEmpty {
            let segments = head.path.split(separator: "/", omittingEmptySubsequences: false)
            path = segments.enumerated().map { $0.offset == 3 ? log.digest(id) : String($0.element) }
                .joined(separator: "/")
        }
        let token = AuditRecorder.bearer(head).map { log.digest($0) }
        return AuditTicket(
            id: "\(requestPrefix)-\(number)", method: head.method, route: route, path: path, tokenDigest: token,
            remoteAddress: head.remoteAddress)
    }

    /// Writes the request line; throws 503 `audit_unavailable` when it cannot.
    func recordRequest(_ ticket: AuditTicket, identity: TokenIdentity?, body: [UInt8]) throws(APIError) {
        ticket.tokenID.withLock { $0 = identity?.id }
        var fields = ticket.commonFields(type: "request")
        fields.append(AuditField("remote_address", .string(ticket.remoteAddress)))
        if AuditRecorder.bodyRoutes.contains(ticket.routeKey), let recorded = redactedBody(body, route: ticket.route) {
            fields.append(AuditField("body", recorded))
        }
        do {
            try log.append(fields)
            ticket.markRequestRecorded()
        } catch {
            logger.error("audit line not written; request refused", ["http.route": ticket.route])
            throw APIError(error)
        }
    }

    /// Writes the response line (and the request line if the request was refused before handling) and
    /// returns the response to send: `response`, or a 503 that carries nothing of it.
    func recordResponse(_ ticket: AuditTicket, _ response: HTTPResponse) -> HTTPResponse {
        do throws(APIError) {
            if !ticket.isRequestRecorded {
                try recordRequest(ticket, identity: nil, body: [])
            }
        } catch {
            return error.response
        }
        var fields = ticket.commonFields(type: "response")
        fields.append(AuditField("status", .integer(Int64(response.status))))
        if response.status >= 400, case .bytes(let bytes) = response.body,
            let object = (try? JSONSerialization.jsonObject(with: Data(bytes))) as? [String: Any],
            let code = (object["error"] as? [String: Any])?["code"] as? String
        {
            fields.append(AuditField("error", .string(code)))
        } else if AuditRecorder.bodyRoutes.contains(ticket.routeKey), case .bytes(let bytes) = response.body,
            let recorded = redactedBody(bytes, route: ticket.route)
        {
            fields.append(AuditField("body", recorded))
        }
        do {
            try log.append(fields)
            return response
        } catch {
            logger.error("audit line not written; answer withheld", ["http.route": ticket.route])
            return APIError(error).response
        }
    }

    /// The body as a JSON value with secrets digested; nil when it is empty or not JSON.
    private func redactedBody(_ bytes: [UInt8], route: String) -> AuditValue? {
        guard !bytes.isEmpty, let object = try? JSONSerialization.jsonObject(with: Data(bytes)) else { return nil }
        return redact(object, digestIDs: route.hasPrefix("/v1/leases"), key: nil)
    }

    private func redact(_ value: Any, digestIDs: Bool, key: String?) -> AuditValue {
        let isSecret = key.map { AuditRecorder.secretKeys.contains($0) || (digestIDs && $0 == "id") } ?? false
        switch value {
        case let text as String:
            return .string(isSecret ? log.digest(text) : String(text.prefix(512)))
        case let number as NSNumber where String(cString: number.objCType) == "c":
            return .bool(number.boolValue)
        case let number as NSNumber:
            return isSecret ? .string(log.digest(number.stringValue)) : .integer(number.int64Value)
        case let array as [Any]:
            return .array(array.prefix(256).map { redact($0, digestIDs: digestIDs, key: key) })
        case let object as [String: Any]:
            return .object(
                object.keys.sorted().map { AuditField($0, redact(object[$0]!, digestIDs: digestIDs, key: $0)) })
        default:
            return .null
        }
    }

    private static func bearer(_ head: HTTPRequestHead) -> String? {
        guard let header = head.headers["Authorization"] else { return nil }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        return String(parts[1])
    }
}

/// What the two lines of one request share.
final class AuditTicket: Sendable {
    let id: String
    let method: String
    let route: String
    let path: String
    let tokenDigest: String?
    let remoteAddress: String
    let tokenID = Mutex<String?>(nil)
    private let requestRecorded = Atomic<Bool>(false)

    init(id: String, method: String, route: String, path: String, tokenDigest: String?, remoteAddress: String) {
        self.id = id
        self.method = method
        self.route = route
        self.path = path
        self.tokenDigest = tokenDigest
        self.remoteAddress = remoteAddress
    }

    var routeKey: String { method + " " + route }

    var isRequestRecorded: Bool { requestRecorded.load(ordering: .acquiring) }

    func markRequestRecorded() {
        requestRecorded.store(true, ordering: .releasing)
    }

    func commonFields(type: String) -> [AuditField] {
        [
            AuditField("type", .string(type)), AuditField("request_id", .string(id)),
            AuditField("token_id", tokenID.withLock { $0 }.map(AuditValue.string) ?? .null),
            AuditField("token", tokenDigest.map(AuditValue.string) ?? .null),
            AuditField("method", .string(method)), AuditField("route", .string(route)),
            AuditField("path", .string(path)),
        ]
    }
}
