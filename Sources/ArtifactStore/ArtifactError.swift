/// The one error type of the artifact store: a code, a human reason, and where it was thrown.
///
/// The reason names digests, artifact names and ids, never a token or file content.
public struct ArtifactError: Error, CustomStringConvertible, Equatable {
    /// What went wrong, in a form the API layer maps to an HTTP status.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The stable machine-readable name, as sent in error bodies.
        public let name: String

        private init(_ name: String) { self.name = name }

        /// A digest is malformed, or content does not match the digest it was sent with.
        public static let digestInvalid = Code("digest_invalid")
        /// An artifact name breaks the naming rules.
        public static let invalidName = Code("invalid_name")
        /// Any other field or request shape the store cannot accept.
        public static let invalidInput = Code("invalid_input")
        /// No artifact or blob with that id, name or digest.
        public static let notFound = Code("not_found")
        /// The artifact existed but its expiry has passed.
        public static let expired = Code("artifact_expired")
        /// The upload is larger than the configured maximum.
        public static let tooLarge = Code("payload_too_large")
        /// Storing the upload would take the disk below the free-space floor, or the disk is full.
        public static let insufficientStorage = Code("insufficient_storage")
        /// A stored blob is missing or does not match its digest.
        public static let integrity = Code("integrity_error")
        /// The database or the file system failed.
        public static let storage = Code("storage_error")

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

    public static func == (lhs: ArtifactError, rhs: ArtifactError) -> Bool { lhs.code == rhs.code }
}
