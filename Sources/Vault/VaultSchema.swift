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
            """)
    ]
}
