/// The one error type of the vault: a code, a human reason, and where it was thrown.
///
/// The reason never contains a secret value, a token or an unseal key; paths and ids are fine.
public struct VaultError: Error, CustomStringConvertible, Equatable {
    /// What went wrong, in a form the API layer maps to an HTTP status.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The stable machine-readable name, as sent in error bodies.
        public let name: String

        private init(_ name: String) { self.name = name }

        public static let notInitialized = Code("not_initialized")
        public static let alreadyInitialized = Code("already_initialized")
        public static let sealed = Code("sealed")
        public static let wrongUnsealKey = Code("wrong_unseal_key")
        public static let invalidPath = Code("invalid_path")
        public static let invalidInput = Code("invalid_input")
        public static let notFound = Code("not_found")
        public static let deleted = Code("secret_deleted")
        public static let destroyed = Code("secret_destroyed")
        public static let casMismatch = Code("cas_mismatch")
        public static let valueTooLarge = Code("value_too_large")
        public static let integrity = Code("integrity_error")
        public static let unauthenticated = Code("unauthenticated")
        public static let forbidden = Code("forbidden")
        public static let storage = Code("storage_error")
        public static let storageFull = Code("storage_full")
        public static let invalidPolicy = Code("invalid_policy")
        public static let leaseExpired = Code("lease_expired")
        public static let leaseRevoked = Code("lease_revoked")
        public static let leaseUsedUp = Code("lease_used_up")
        public static let auditUnavailable = Code("audit_unavailable")

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

    public var description: String { "\(code): \(reason)" }

    public static func == (lhs: VaultError, rhs: VaultError) -> Bool { lhs.code == rhs.code }
}
