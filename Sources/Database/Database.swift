import CSQLite
import Foundation
import Synchronization

/// A SQLite database file in WAL mode: one writer connection and a small pool of readers.
///
/// Every call blocks its thread, so callers keep it off Swift's cooperative pool; the HTTP server's
/// worker threads are the usual callers. Commits are durable (`synchronous=FULL`) before they return.
public final class Database: Sendable {
    /// The file's path.
    public let path: String
    private let writer: Mutex<Connection>
    private let readers: [ConnectionSlot]
    private let nextReader = Atomic<Int>(0)

    /// Opens or creates the database at `path`. Each module then applies its own migrations with
    /// `migrate(_:_:)`, so several modules share one file.
    public init(path: String, readerCount: Int = 4) throws(DatabaseError) {
        self.path = path
        let writerConnection = try Connection(path: path, readOnly: false)
        try writerConnection.execute(
            """
            PRAGMA journal_mode = WAL;
            PRAGMA synchronous = FULL;
            PRAGMA foreign_keys = ON;
            PRAGMA secure_delete = ON;
            CREATE TABLE IF NOT EXISTS schema_migrations (
                namespace TEXT NOT NULL,
                version INTEGER NOT NULL,
                applied_at INTEGER NOT NULL,
                PRIMARY KEY (namespace, version)
            ) WITHOUT ROWID;
            """)
        var pool: [ConnectionSlot] = []
        for _ in 0..<max(1, readerCount) {
            pool.append(ConnectionSlot(try Connection(path: path, readOnly: true)))
        }
        self.writer = Mutex(writerConnection)
        self.readers = pool
    }

    /// Runs `body` in an immediate write transaction; commits when it returns, rolls back when it throws.
    @discardableResult
    public func write<T>(_ body: (Connection) throws -> T) throws -> T {
        try writer.withLock { connection in
            try connection.execute("BEGIN IMMEDIATE")
            do {
                let value = try body(connection)
                try connection.execute("COMMIT")
                return value
            } catch {
                try? connection.execute("ROLLBACK")
                throw error
            }
        }
    }

    /// Runs `body` on a reader connection in one read transaction (a consistent snapshot).
    public func read<T: Sendable>(_ body: (Connection) throws -> T) throws -> T {
        let start = nextReader.add(1, ordering: .relaxed).oldValue
        // Prefer an idle reader; wait on one only when all are busy.
        for offset in 0..<readers.count {
            let slot = readers[(start &+ offset) % readers.count]
            if let value = try slot.connection.withLockIfAvailable({ try Database.inReadTransaction($0, body) }) {
                return value
            }
        }
        return try readers[start % readers.count].connection.withLock { try Database.inReadTransaction($0, body) }
    }

    private static func inReadTransaction<T: Sendable>(_ connection: Connection, _ body: (Connection) throws -> T)
        throws -> T
    {
        try connection.execute("BEGIN")
        defer { try? connection.execute("COMMIT") }
        return try body(connection)
    }

    /// Applies the migrations of `namespace` that the file has not seen yet, each in its own transaction.
    ///
    /// Versions number from 1 without gaps; a file with a newer version than the program knows is refused.
    public func migrate(_ namespace: String, _ migrations: [Migration]) throws(DatabaseError) {
        let ordered = migrations.sorted { $0.version < $1.version }
        for (index, migration) in ordered.enumerated() where migration.version != index + 1 {
            throw DatabaseError(.schema, "\(namespace) migration \(migration.version) is out of sequence")
        }
        try writer.withLock { (connection) throws(DatabaseError) in
            let current = Int(
                try connection.queryFirst(
                    "SELECT coalesce(max(version), 0) FROM schema_migrations WHERE namespace = ?", .text(namespace))?
                    .int(0) ?? 0)
            guard current <= ordered.count else {
                throw DatabaseError(
                    .schema,
                    "the \(namespace) schema is at version \(current), newer than this program's \(ordered.count)")
            }
            for migration in ordered where migration.version > current {
                try Database.apply(migration, namespace: namespace, on: connection)
            }
        }
    }

    /// The newest applied migration of `namespace`; 0 when none.
    public func schemaVersion(_ namespace: String) throws -> Int {
        try read { connection in
            Int(
                try connection.queryFirst(
                    "SELECT coalesce(max(version), 0) FROM schema_migrations WHERE namespace = ?", .text(namespace))?
                    .int(0) ?? 0)
        }
    }

    private static func apply(_ migration: Migration, namespace: String, on connection: Connection)
        throws(DatabaseError)
    {
        try connection.execute("BEGIN IMMEDIATE")
        do {
            try connection.execute(migration.sql)
            try connection.run(
                "INSERT INTO schema_migrations (namespace, version, applied_at) VALUES (?, ?, unixepoch())",
                .text(namespace), .integer(Int64(migration.version)))
            try connection.execute("COMMIT")
        } catch {
            try? connection.execute("ROLLBACK")
            throw DatabaseError(.schema, "\(namespace) migration \(migration.version) failed: \(error.reason)")
        }
    }
}

/// A connection behind its own lock, so the pool can hold several.
private final class ConnectionSlot: Sendable {
    let connection: Mutex<Connection>

    init(_ connection: Connection) {
        self.connection = Mutex(connection)
    }
}
