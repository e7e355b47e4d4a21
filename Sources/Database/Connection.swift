import CSQLite

/// One SQLite connection. Not thread-safe: a `Database` hands it to one caller at a time.
///
/// SQL text is always a `StaticString`, so no statement is ever built from input; values are bound.
/// Unchecked `Sendable`: a connection only ever lives behind its owner's lock, and the `Connection`
/// given to a transaction closure must not be kept past it.
public final class Connection: @unchecked Sendable {
    private let handle: OpaquePointer
    private var statements: [String: Statement] = [:]

    init(path: String, readOnly: Bool) throws(DatabaseError) {
        var connection: OpaquePointer?
        let flags =
            (readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) | SQLITE_OPEN_NOMUTEX
            | SQLITE_OPEN_EXRESCODE
        let result = sqlite3_open_v2(path, &connection, flags, nil)
        guard result == SQLITE_OK, let connection else {
            let reason = connection.map(Connection.message) ?? "out of memory"
            // sqlite3_open_v2 hands back a handle even when it fails; it must still be closed.
            sqlite3_close_v2(connection)
            throw DatabaseError(.cannotOpen, "cannot open \(path): \(reason)")
        }
        self.handle = connection
        sqlite3_busy_timeout(connection, 10_000)
    }

    deinit {
        statements.removeAll()
        sqlite3_close_v2(handle)
    }

    /// Runs one or more statements without parameters, such as a migration or a pragma.
    public func execute(_ sql: StaticString) throws(DatabaseError) {
        try executeText(sql.description)
    }

    /// Runs a statement with bound values; returns the number of rows it changed.
    @discardableResult
    public func run(_ sql: StaticString, _ values: SQLValue...) throws(DatabaseError) -> Int {
        try run(sql, arguments: values)
    }

    /// Runs a statement with an array of bound values; returns the number of rows it changed.
    @discardableResult
    public func run(_ sql: StaticString, arguments values: [SQLValue]) throws(DatabaseError) -> Int {
        let statement = try prepared(sql)
        defer { statement.finish() }
        try statement.bind(values)
        while try statement.step() != nil {}
        return Int(sqlite3_changes64(handle))
    }

    /// Runs a query and returns every row.
    public func query(_ sql: StaticString, _ values: SQLValue...) throws(DatabaseError) -> [Row] {
        try query(sql, arguments: values)
    }

    /// Runs a query with an array of bound values and returns every row.
    public func query(_ sql: StaticString, arguments values: [SQLValue]) throws(DatabaseError) -> [Row] {
        let statement = try prepared(sql)
        defer { statement.finish() }
        try statement.bind(values)
        var rows: [Row] = []
        while let row = try statement.step() {
            rows.append(row)
        }
        return rows
    }

    /// Runs a query and returns its first row, if any.
    public func queryFirst(_ sql: StaticString, _ values: SQLValue...) throws(DatabaseError) -> Row? {
        let statement = try prepared(sql)
        defer { statement.finish() }
        try statement.bind(values)
        return try statement.step()
    }

    /// The rowid of the last inserted row on this connection.
    public var lastInsertedRowID: Int64 {
        sqlite3_last_insert_rowid(handle)
    }

    func executeText(_ sql: String) throws(DatabaseError) {
        var errorMessage: UnsafeMutablePointer<CChar>?
        let result = sqlite3_exec(handle, sql, nil, nil, &errorMessage)
        guard result == SQLITE_OK else {
            let reason = errorMessage.map { String(cString: $0) } ?? Connection.message(handle)
            sqlite3_free(errorMessage)
            throw DatabaseError(DatabaseError.code(forResult: result), reason)
        }
    }

    private func prepared(_ sql: StaticString) throws(DatabaseError) -> Statement {
        let text = sql.description
        if let statement = statements[text] {
            return statement
        }
        let statement = try Statement(connection: handle, sql: text)
        statements[text] = statement
        return statement
    }

    static func message(_ handle: OpaquePointer) -> String {
        String(cString: sqlite3_errmsg(handle))
    }
}
