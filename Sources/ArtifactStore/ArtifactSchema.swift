import Database

/// The artifact store's tables, in the shared database under the `artifacts` namespace.
enum ArtifactSchema {
    static let namespace = "artifacts"

    static let migrations: [Migration] = [
        Migration(
            1,
            """
            CREATE TABLE artifact_blobs (
                digest TEXT PRIMARY KEY,
                size INTEGER NOT NULL,
                stored_at INTEGER NOT NULL,
                used_at INTEGER NOT NULL
            ) WITHOUT ROWID;
            CREATE INDEX artifact_blobs_used ON artifact_blobs (used_at);
            CREATE TABLE artifacts (
                seq INTEGER PRIMARY KEY AUTOINCREMENT,
                id TEXT NOT NULL UNIQUE,
                name TEXT NOT NULL,
                digest TEXT NOT NULL,
                size INTEGER NOT NULL,
                filename TEXT,
                content_type TEXT,
                pipeline TEXT,
                job TEXT,
                created_at INTEGER NOT NULL,
                expires_at INTEGER
            );
            CREATE INDEX artifacts_name ON artifacts (name, seq);
            CREATE INDEX artifacts_digest ON artifacts (digest, expires_at);
            CREATE INDEX artifacts_pipeline ON artifacts (pipeline, job, seq);
            CREATE INDEX artifacts_expiry ON artifacts (expires_at) WHERE expires_at IS NOT NULL;
            """)
    ]
}
