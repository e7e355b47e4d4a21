import Database
import Dispatch
import Foundation
import HTTPClient
import Logging
import Synchronization
import Timekeeping

/// Drains the status outbox: posts each due status to its provider and retries with exponential
/// backoff until the provider answers 2xx. A context's final state waits for its pending one.
final class StatusReporter: Sendable {
    private let database: Database
    private let secrets: any RepositorySecretStore
    private let logger: Logger
    private let clock: any WallClock
    private let client = HTTPClient(userAgent: "vaultctl-ci")
    private let timer = Mutex<RepeatingTimer?>(nil)

    init(database: Database, secrets: any RepositorySecretStore, logger: Logger, clock: any WallClock) {
        self.database = database
        self.secrets = secrets
        self.logger = logger
        self.clock = clock
    }

    func start() {
        let source = RepeatingTimer(label: "vaultctl.ci.status", interval: 0.5) { [self] in deliverDue() }
        timer.withLock { $0 = source }
    }

    func stop() {
        timer.withLock { timer in
            timer?.cancel()
            timer = nil
        }
    }

    private struct Due: Sendable {
        var id: Int64
        var repository: String
        var commit: String
        var context: String
        var state: String
        var description: String
        var targetURL: String?
        var attempts: Int
        var kind: StatusTarget.Kind
        var url: String?
    }

    private func deliverDue() {
        let now = Int64(clock.now().timeIntervalSince1970)
        let due: [Due] =
            (try? database.read { connection in
                try connection.query(
                    """
                    SELECT o.id, o.repo, o.commit_sha, o.context, o.state, o.description, o.target_url, o.attempts,
                           r.status_kind, r.status_url
                    FROM ci_status_outbox o JOIN ci_repos r ON r.name = o.repo
                    WHERE o.delivered_at IS NULL AND o.next_attempt_at <= ?
                      AND NOT (o.phase = 'final' AND EXISTS (
                          SELECT 1 FROM ci_status_outbox p WHERE p.repo = o.repo AND p.commit_sha = o.commit_sha
                          AND p.context = o.context AND p.phase = 'pending' AND p.delivered_at IS NULL))
                    ORDER BY o.id LIMIT 50
                    """, .integer(now)
                ).map { row in
                    Due(
                        id: row.int(0) ?? 0, repository: row.text(1) ?? "", commit: row.text(2) ?? "",
                        context: row.text(3) ?? "", state: row.text(4) ?? "", description: row.text(5) ?? "",
                        targetURL: row.text(6), attempts: Int(row.int(7) ?? 0),
                        kind: StatusTarget.Kind(rawValue: row.text(8) ?? "") ?? .none, url: row.text(9))
                }
            }) ?? []
        for status in due {
            let failure = post(status)
            record(status, failure: failure)
        }
    }

    /// Posts one status; returns nil on success or the reason it failed.
    private func post(_ status: Due) -> String? {
        guard status.kind != .none, let base = status.url else { return nil }
        let token = (try? secrets.secret(repository: status.repository, name: RepositorySecretName.statusToken)) ?? nil
        var headers = [("Content-Type", "application/json"), ("Accept", "application/json")]
        let url: String
        var body: [String: Any] = [
            "state": status.state, "context": status.context, "description": status.description,
        ]
        if let target = status.targetURL { body["target_url"] = target }
        let trimmed = base.hasSuffix("/") ? String(base.dropLast()) : base
        switch status.kind {
        case .github:
            url = "\(trimmed)/repos/\(status.repository)/statuses/\(status.commit)"
            if let token { headers.append(("Authorization", "Bearer " + String(decoding: token, as: UTF8.self))) }
        case .gitlab:
            let project =
                status.repository.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? status.repository
            url = "\(trimmed)/projects/\(project)/statuses/\(status.commit)"
            body["name"] = status.context
            body["state"] = status.state == "failure" ? "failed" : status.state == "error" ? "failed" : status.state
            if let token { headers.append(("PRIVATE-TOKEN", String(decoding: token, as: UTF8.self))) }
        case .generic, .none:
            url = trimmed
            body = [
                "repo": status.repository, "commit": status.commit, "status": status.state, "context": status.context,
                "target_url": status.targetURL ?? "", "description": status.description,
            ]
            if let token { headers.append(("Authorization", "Bearer " + String(decoding: token, as: UTF8.self))) }
        }
        guard let data = try? JSONSerialization.data(withJSONObject: body, options: [.sortedKeys]) else {
            return "cannot encode the status"
        }
        var request = HTTPClientRequest(method: "POST", url: url, headers: headers, body: .bytes(Array(data)))
        request.timeoutSeconds = 15
        do {
            let response = try client.send(request)
            return (200..<300).contains(response.status) ? nil : "the provider answered HTTP \(response.status)"
        } catch {
            return error.reason
        }
    }

    private func record(_ status: Due, failure: String?) {
        let now = Int64(clock.now().timeIntervalSince1970)
        let attempts = status.attempts + 1
        _ = try? database.write { connection in
            if let failure {
                try connection.run(
                    "UPDATE ci_status_outbox SET attempts = ?, next_attempt_at = ?, last_error = ? WHERE id = ?",
                    .integer(Int64(attempts)), .integer(now + StatusOutbox.backoff(attempts: attempts)),
                    .text(failure), .integer(status.id))
            } else {
                try connection.run(
                    "UPDATE ci_status_outbox SET attempts = ?, delivered_at = ?, last_error = NULL WHERE id = ?",
                    .integer(Int64(attempts)), .integer(now), .integer(status.id))
            }
        }
        if let failure {
            logger.warning(
                "commit status not delivered; will retry",
                ["repo.name": status.repository, "status.context": status.context, "error": failure])
        }
    }
}
