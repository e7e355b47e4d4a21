/// Why a `multipart/form-data` body could not be read.
///
/// The reason describes the framing fault; it never quotes body bytes.
public struct MultipartError: Error, CustomStringConvertible, Equatable {
    /// What kind of fault this is.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The stable machine-readable name.
        public let name: String

        private init(_ name: String) { self.name = name }

        /// The `Content-Type` is not multipart/form-data or its boundary is missing or invalid.
        public static let invalidContentType = Code("invalid_content_type")
        /// A boundary line is followed by something other than `--`, padding or CRLF.
        public static let malformedBoundary = Code("malformed_boundary")
        /// A part's header block is not `Name: value` lines.
        public static let malformedHeaders = Code("malformed_part_headers")
        /// A part's header block is larger than allowed.
        public static let headersTooLarge = Code("part_headers_too_large")
        /// A part lacks `Content-Disposition: form-data; name=...`.
        public static let missingDisposition = Code("missing_content_disposition")
        /// The body ended before the closing boundary.
        public static let truncated = Code("truncated_body")
        /// The body holds no boundary at all.
        public static let noParts = Code("no_parts")

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

    public static func == (lhs: MultipartError, rhs: MultipartError) -> Bool { lhs.code == rhs.code }
}
