import CSQLite

/// A prepared statement owned by one connection; finalized in `deinit`.
final class Statement {
    private let handle: OpaquePointer
    private let connection: OpaquePointer

    init(connection: OpaquePointer, sql: String) throws(DatabaseError) {
        var statement: OpaquePointer?
        let result = sqlite3_prepare_v3(connection, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil)
        guard result == SQLITE_OK, let statement else {
            throw DatabaseError(DatabaseError.code(forResult: result), Connection.message(connection))
        }
        self.handle = statement
        self.connection = connection
    }

    deinit {
        sqlite3_finalize(handle)
    }

    /// Binds `values` to the statement's parameters, in order.
    func bind(_ values: [SQLValue]) throws(DatabaseError) {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
        let expected = Int(sqlite3_bind_parameter_count(handle))
        guard expected == values.count else {
            throw DatabaseError(.other, "statement takes \(expected) arguments, got \(values.count)")
        }
        for (offset, value) in values.enumerated() {
            let index = Int32(offset + 1)
            let result: Int32
            switch value {
            case .null:
                result = sqlite3_bind_null(handle, index)
            case .integer(let number):
                result = sqlite3_bind_int64(handle, index, number)
            case .real(let number):
                result = sqlite3_bind_double(handle, index, number)
            case .text(let text):
                result = sqlite3_bind_text(handle, index, text, -1, vault_sqlite_transient())
            case .blob(let bytes):
                result = bytes.withUnsafeBytes { buffer in
                    // A zero-length blob must still bind as a blob, not as null.
                    sqlite3_bind_blob64(
                        handle, index, buffer.baseAddress ?? UnsafeRawPointer(bitPattern: 1), UInt64(buffer.count),
                        vault_sqlite_transient())
                }
            }
            guard result == SQLITE_OK else {
                throw DatabaseError(DatabaseError.code(forResult: result), Connection.message(connection))
            }
        }
    }

    /// Steps once; returns the row, or nil when the statement is done.
    func step() throws(DatabaseError) -> Row? {
        let result = sqlite3_step(handle)
        switch result {
        case SQLITE_ROW:
            return Row(values: currentValues())
        case SQLITE_DONE:
            return nil
        default:
            let error = DatabaseError(DatabaseError.code(forResult: result), Connection.message(connection))
            sqlite3_reset(handle)
            throw error
        }
    }

    /// Resets the statement and drops its bindings so bound bytes do not linger in memory.
    func finish() {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }

    private func currentValues() -> [SQLValue] {
        let columns = sqlite3_column_count(handle)
        var values: [SQLValue] = []
        values.reserveCapacity(Int(columns))
        for column in 0..<columns {
            values.append(value(at: column))
        }
        return values
    }

    private func value(at column: Int32) -> SQLValue {
        switch sqlite3_column_type(handle, column) {
        case SQLITE_INTEGER:
            return .integer(sqlite3_column_int64(handle, column))
        case SQLITE_FLOAT:
            return .real(sqlite3_column_double(handle, column))
        case SQLITE_TEXT:
            guard let text = sqlite3_column_text(handle, column) else { return .text("") }
            return .text(String(cString: text))
        case SQLITE_BLOB:
            let count = Int(sqlite3_column_bytes(handle, column))
            guard count > 0, let bytes = sqlite3_column_blob(handle, column) else { return .blob([]) }
            return .blob(Array(UnsafeRawBufferPointer(start: bytes, count: count)))
        default:
            return .null
        }
    }
}
