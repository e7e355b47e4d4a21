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

    /// Opens or creates the database at `path` and applies the migrations it has not seen yet.
    public init(path: String, migrations: [Migration], readerCount: Int = 4) throws(DatabaseError) {
        self.path = path
        let writerConnection = try Connection(path: path, readOnly: false)
        try writerConnection.execute(
            """
            PRAGMA journal_mode = WAL;
            PRAGMA synchronous = FULL;
            PRAGMA foreign_keys = ON;
            PRAGMA secure_delete = ON;
            """)
        try Database.migrate(writerConnection, to: migrations)
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

    private static func inReadTransaction<T: Sendable>(_ connection: Connection, _ body: (Connection) throws -> T) throws -> T {
        try connection.execute("BEGIN")
        defer { try? connection.execute("COMMIT") }
        return try body(connection)
    }

    /// The schema version recorded in the file.
    public func schemaVersion() throws -> Int {
        try read { connection in
            Int(try connection.queryFirst("PRAGMA user_version")?.int(0) ?? 0)
        }
    }

    private static func migrate(_ connection: Connection, to migrations: [Migration]) throws(DatabaseError) {
        let current = Int(try connection.queryFirst("PRAGMA user_version")?.int(0) ?? 0)
        let ordered = migrations.sorted { $0.version < $1.version }
        for (index, migration) in ordered.enumerated() where migration.version != index + 1 {
            throw DatabaseError(.schema, "migration \(migration.version) is out of sequence")
        }
        guard current <= ordered.count else {
            throw DatabaseError(
                .schema, "the database has schema version \(current), newer than this program's \(ordered.count)")
        }
        for migration in ordered where migration.version > current {
            try connection.execute("BEGIN IMMEDIATE")
            do {
                try connection.execute(migration.sql)
                // PRAGMA takes no bound parameters; the version is a number from this program, not input.
                try connection.executeText("PRAGMA user_version = \(migration.version)")
                try connection.execute("COMMIT")
            } catch {
                try? connection.execute("ROLLBACK")
                throw DatabaseError(.schema, "migration \(migration.version) failed: \(error.reason)")
            }
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
