/// An error from the SQLite layer.
///
/// The reason is SQLite's own message; it never contains a bound argument.
public struct DatabaseError: Error, CustomStringConvertible, Equatable {
    /// What kind of failure this is; the API layer maps some of them to HTTP statuses.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String

        private init(_ name: String) { self.name = name }

        /// Opening the database file failed.
        public static let cannotOpen = Code("cannot_open")
        /// A uniqueness, foreign-key or check constraint refused the write.
        public static let constraint = Code("constraint")
        /// Another connection held a lock past the busy timeout.
        public static let busy = Code("busy")
        /// The disk or the database is full.
        public static let full = Code("full")
        /// The file is damaged or not a database.
        public static let corrupt = Code("corrupt")
        /// A read or write of the file failed.
        public static let io = Code("io")
        /// A migration could not be applied, or the schema is newer than this program.
        public static let schema = Code("schema")
        /// Anything else SQLite reported, including misuse.
        public static let other = Code("other")

        public var description: String { name }
    }

    public let code: Code
    public let reason: String
    public let file: String
    public let line: Int

    public init(_ code: Code, _ reason: String, file: String = #fileID, line: Int = #line) {
        self.code = code
        self.reason = reason
        self.file = file
        self.line = line
    }

    public var description: String { "database \(code): \(reason)" }

    public static func == (lhs: DatabaseError, rhs: DatabaseError) -> Bool { lhs.code == rhs.code }

    /// Maps an SQLite result code (primary or extended) to an error code.
    static func code(forResult result: Int32) -> Code {
        switch result & 0xff {
        case 19: .constraint  // SQLITE_CONSTRAINT
        case 5, 6: .busy  // SQLITE_BUSY, SQLITE_LOCKED
        case 13: .full  // SQLITE_FULL
        case 11, 26: .corrupt  // SQLITE_CORRUPT, SQLITE_NOTADB
        case 10: .io  // SQLITE_IOERR
        case 14: .cannotOpen  // SQLITE_CANTOPEN
        default: .other
        }
    }
}
