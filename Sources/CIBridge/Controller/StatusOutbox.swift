import Database

/// Commit statuses waiting to be posted, one row per context and phase.
///
/// The unique key `(repo, commit, context, phase)` with the phases `pending` and `final` is what
/// makes "one pending, then exactly one final state, never moving back" hold: a second final state
/// for the same context is ignored, whatever races produced it.
enum StatusOutbox {
    static func enqueue(
        _ connection: Connection, repository: String, commit: String, context: String, state: CommitStatusState,
        description: String, targetURL: String?, now: Int64
    ) throws {
        try connection.run(
            """
            INSERT OR IGNORE INTO ci_status_outbox
                (repo, commit_sha, context, phase, state, description, target_url, next_attempt_at, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, .text(repository), .text(commit), .text(context), .text(state == .pending ? "pending" : "final"),
            .text(state.rawValue), .text(String(description.prefix(140))), .optional(targetURL), .integer(now),
            .integer(now))
    }

    /// The delay before retry number `attempts` (1-based): 1 s doubling up to five minutes.
    static func backoff(attempts: Int) -> Int64 {
        Int64(min(300, 1 << min(attempts - 1, 9)))
    }
}
