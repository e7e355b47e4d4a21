import Database

/// The CI controller's tables in the shared database.
enum CISchema {
    static let namespace = "ci"

    static let migrations: [Migration] = [
        Migration(
            1,
            """
            CREATE TABLE ci_repos (
                name TEXT PRIMARY KEY,
                clone_url TEXT NOT NULL,
                status_kind TEXT NOT NULL,
                status_url TEXT,
                created_at INTEGER NOT NULL,
                updated_at INTEGER NOT NULL
            ) WITHOUT ROWID;

            CREATE TABLE ci_deliveries (
                provider TEXT NOT NULL,
                delivery_id TEXT NOT NULL,
                pipeline_id INTEGER,
                received_at INTEGER NOT NULL,
                PRIMARY KEY (provider, delivery_id)
            ) WITHOUT ROWID;

            CREATE TABLE ci_pipelines (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                repo TEXT NOT NULL,
                ref TEXT NOT NULL,
                commit_sha TEXT NOT NULL,
                is_manual INTEGER NOT NULL DEFAULT 0,
                state TEXT NOT NULL,
                reason TEXT,
                compiled TEXT,
                cancel_requested INTEGER NOT NULL DEFAULT 0,
                created_at INTEGER NOT NULL,
                finished_at INTEGER
            );
            CREATE UNIQUE INDEX ci_pipelines_by_push ON ci_pipelines(repo, ref, commit_sha) WHERE is_manual = 0;
            CREATE INDEX ci_pipelines_pending ON ci_pipelines(state) WHERE state = 'pending';

            CREATE TABLE ci_jobs (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                pipeline_id INTEGER NOT NULL REFERENCES ci_pipelines(id),
                name TEXT NOT NULL,
                job_group TEXT NOT NULL,
                position INTEGER NOT NULL,
                state TEXT NOT NULL,
                attempt INTEGER NOT NULL DEFAULT 1,
                epoch INTEGER NOT NULL DEFAULT 0,
                runner_id TEXT,
                lease_expires_at INTEGER,
                spec TEXT NOT NULL,
                labels TEXT NOT NULL,
                queued_at INTEGER,
                started_at INTEGER,
                finished_at INTEGER,
                exit_code INTEGER,
                reason TEXT,
                cancel_requested INTEGER NOT NULL DEFAULT 0,
                cleanup TEXT,
                log_size INTEGER NOT NULL DEFAULT 0,
                UNIQUE (pipeline_id, name)
            );
            CREATE INDEX ci_jobs_queued ON ci_jobs(state, id) WHERE state = 'queued';
            CREATE INDEX ci_jobs_held ON ci_jobs(lease_expires_at) WHERE state IN ('claimed', 'running');

            CREATE TABLE ci_runners (
                id TEXT PRIMARY KEY,
                name TEXT NOT NULL,
                labels TEXT NOT NULL,
                capacity INTEGER NOT NULL,
                token_hash BLOB NOT NULL UNIQUE,
                created_at INTEGER NOT NULL,
                last_seen_at INTEGER
            ) WITHOUT ROWID;

            CREATE TABLE ci_registration_tokens (
                token_hash BLOB PRIMARY KEY,
                created_at INTEGER NOT NULL,
                expires_at INTEGER,
                used_at INTEGER,
                reusable INTEGER NOT NULL DEFAULT 0
            ) WITHOUT ROWID;

            CREATE TABLE ci_status_outbox (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                repo TEXT NOT NULL,
                commit_sha TEXT NOT NULL,
                context TEXT NOT NULL,
                phase TEXT NOT NULL,
                state TEXT NOT NULL,
                description TEXT NOT NULL,
                target_url TEXT,
                attempts INTEGER NOT NULL DEFAULT 0,
                next_attempt_at INTEGER NOT NULL,
                delivered_at INTEGER,
                last_error TEXT,
                created_at INTEGER NOT NULL,
                UNIQUE (repo, commit_sha, context, phase)
            );
            CREATE INDEX ci_status_due ON ci_status_outbox(next_attempt_at) WHERE delivered_at IS NULL;
            """)
    ]
}
