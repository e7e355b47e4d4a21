/// The one error type of the CI controller: a code, a human reason, and where it was thrown.
public struct CIError: Error, CustomStringConvertible, Equatable {
    /// What went wrong, in a form the API layer maps to an HTTP status.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The stable machine-readable name, as sent in error bodies.
        public let name: String

        private init(_ name: String) { self.name = name }

        public static let notFound = Code("not_found")
        public static let invalidInput = Code("invalid_input")
        public static let invalidSignature = Code("invalid_signature")
        public static let unauthenticated = Code("unauthenticated")
        /// A call carried an epoch that is no longer the job's: another attempt owns it now.
        public static let staleEpoch = Code("stale_epoch")
        /// A state change that the job's current state does not allow.
        public static let conflict = Code("conflict")
        /// A log append that would leave a gap; the reason carries the server's offset.
        public static let logGap = Code("log_gap")
        public static let storage = Code("storage_error")
        public static let unavailable = Code("unavailable")

        public var description: String { name }
    }

    public let code: Code
    public let reason: String
    public let file: String
    public let line: Int
    /// For `logGap`: how many bytes the server holds.
    public var offset: Int64?

    public init(_ code: Code, _ reason: String, offset: Int64? = nil, file: String = #fileID, line: Int = #line) {
        self.code = code
        self.reason = reason
        self.offset = offset
        self.file = file
        self.line = line
    }

    public var description: String { "\(code): \(reason)" }

    public static func == (lhs: CIError, rhs: CIError) -> Bool { lhs.code == rhs.code }
}
