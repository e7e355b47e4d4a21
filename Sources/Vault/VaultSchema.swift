import Database

/// The vault's numbered migrations. A released migration is never edited; changes add a new one.
enum VaultSchema {
    /// The namespace of these migrations in the shared database file.
    static let namespace = "vault"

    static let migrations: [Migration] = [
        Migration(
            1,
            """
            CREATE TABLE vault_meta (
                name TEXT PRIMARY KEY,
                value BLOB NOT NULL
            ) WITHOUT ROWID;

            CREATE TABLE key_terms (
                term INTEGER PRIMARY KEY,
                created_at INTEGER NOT NULL,
                encryptions INTEGER NOT NULL DEFAULT 0
            );

            CREATE TABLE secrets (
                path TEXT PRIMARY KEY,
                current_version INTEGER NOT NULL,
                created_at INTEGER NOT NULL,
                updated_at INTEGER NOT NULL
            ) WITHOUT ROWID;

            CREATE TABLE secret_versions (
                path TEXT NOT NULL REFERENCES secrets(path) ON DELETE CASCADE,
                version INTEGER NOT NULL,
                term INTEGER NOT NULL,
                ciphertext BLOB,
                created_at INTEGER NOT NULL,
                deleted_at INTEGER,
                destroyed_at INTEGER,
                PRIMARY KEY (path, version)
            ) WITHOUT ROWID;

            CREATE TABLE tokens (
                id TEXT PRIMARY KEY,
                hash BLOB NOT NULL UNIQUE,
                policies TEXT NOT NULL,
                parent_id TEXT REFERENCES tokens(id),
                created_at INTEGER NOT NULL,
                expires_at INTEGER,
                revoked_at INTEGER
            ) WITHOUT ROWID;
            CREATE INDEX tokens_by_parent ON tokens(parent_id);
            """),
        // Policies, job tokens and leases. Leases are a plain rowid table so the sweeper can work in
        // batches by rowid; the partial index keeps only active leases ordered by expiry, so finding
        // the expired ones costs the number expired, never the number held.
        Migration(
            2,
            """
            CREATE TABLE policies (
                name TEXT PRIMARY KEY,
                rules TEXT NOT NULL,
                created_at INTEGER NOT NULL,
                updated_at INTEGER NOT NULL
            ) WITHOUT ROWID;

            ALTER TABLE tokens ADD COLUMN job_id TEXT;
            ALTER TABLE tokens ADD COLUMN lease_paths TEXT;
            CREATE INDEX tokens_by_job ON tokens(job_id) WHERE job_id IS NOT NULL;

            CREATE TABLE leases (
                id TEXT NOT NULL UNIQUE,
                token_id TEXT NOT NULL REFERENCES tokens(id),
                job_id TEXT,
                path TEXT NOT NULL,
                version INTEGER NOT NULL,
                ttl INTEGER NOT NULL,
                created_at INTEGER NOT NULL,
                expires_at INTEGER NOT NULL,
                max_expires_at INTEGER NOT NULL,
                uses_left INTEGER,
                state TEXT NOT NULL DEFAULT 'active',
                ended_at INTEGER
            );
            CREATE INDEX leases_active_by_expiry ON leases(expires_at) WHERE state = 'active';
            CREATE INDEX leases_ended ON leases(ended_at) WHERE ended_at IS NOT NULL;
            CREATE INDEX leases_by_token ON leases(token_id);
            CREATE INDEX leases_by_job ON leases(job_id) WHERE job_id IS NOT NULL;
            """),
    ]
}
