/// Why a pipeline file did not compile: a code, a human reason, and the line of `.vault-ci.yml` at fault.
///
/// `location` points into the pipeline file (1-based line and column); `file` and `line` say where in
/// this module the error was raised. Equality compares the code only, as every error type here does.
/// The value is `Codable` so the scheduler can store it with the pipeline that ended in `error`.
public struct PipelineError: Error, CustomStringConvertible, Equatable, Sendable, Codable {
    /// What went wrong, as a stable machine-readable name.
    public struct Code: Hashable, Sendable, Codable, CustomStringConvertible {
        /// The stable name, such as `unknown_key`.
        public let name: String

        init(_ name: String) { self.name = name }

        public init(from decoder: any Decoder) throws {
            self.name = try decoder.singleValueContainer().decode(String.self)
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            try container.encode(name)
        }

        /// The file is not well-formed YAML, or uses YAML we refuse (aliases, tags, several documents).
        public static let yamlSyntax = Code("yaml_syntax")
        /// The file is too large, too deep or has too many nodes.
        public static let yamlLimit = Code("yaml_limit")
        /// A key that the pipeline syntax does not define.
        public static let unknownKey = Code("unknown_key")
        /// A required key is absent.
        public static let missingKey = Code("missing_key")
        /// A value of the wrong YAML type (a list where a mapping belongs, text where a number belongs).
        public static let wrongType = Code("wrong_type")
        /// A value of the right type that breaks a rule (an id with spaces, a negative count).
        public static let invalidValue = Code("invalid_value")
        /// `needs` forms a cycle.
        public static let needsCycle = Code("needs_cycle")
        /// `needs` names a job that does not exist.
        public static let unknownNeed = Code("unknown_need")
        /// An expression that does not parse.
        public static let badExpression = Code("bad_expression")
        /// An expression that names an unknown context, matrix key or variable.
        public static let badReference = Code("bad_reference")
        /// A matrix over the combination limit.
        public static let matrixTooLarge = Code("matrix_too_large")
        /// A matrix that yields no combination at all.
        public static let emptyMatrix = Code("empty_matrix")
        /// Two expanded jobs with the same id.
        public static let duplicateJob = Code("duplicate_job")
        /// `jobs` missing or empty, or a job without steps.
        public static let emptyJobs = Code("empty_jobs")
        /// A step without `run`.
        public static let stepWithoutRun = Code("step_without_run")
        /// A duration or timeout that is not a positive duration.
        public static let invalidDuration = Code("invalid_duration")
        /// A secret path that breaks the path syntax.
        public static let invalidSecretPath = Code("invalid_secret_path")
        /// A branch filter pattern that is malformed.
        public static let invalidBranchFilter = Code("invalid_branch_filter")
        /// More expanded jobs than the pipeline limit.
        public static let tooManyJobs = Code("too_many_jobs")

        public var description: String { name }
    }

    /// A 1-based position in the pipeline file.
    public struct Location: Hashable, Sendable, Codable, CustomStringConvertible {
        /// The 1-based line.
        public let line: Int
        /// The 1-based column.
        public let column: Int

        /// Creates a position; both numbers are 1-based.
        public init(line: Int, column: Int) {
            self.line = line
            self.column = column
        }

        public var description: String { "line \(line), column \(column)" }
    }

    /// What went wrong.
    public let code: Code
    /// A sentence for people; it names the key or job and, for unknown keys, lists the allowed ones.
    public let reason: String
    /// Where in the pipeline file.
    public let location: Location
    /// The source file of this module that raised the error.
    public let file: String
    /// The source line of this module that raised the error.
    public let line: Int

    /// Creates an error at `location` in the pipeline file.
    public init(
        _ code: Code, _ reason: String, at location: Location, file: String = #fileID, line: Int = #line
    ) {
        self.code = code
        self.reason = reason
        self.location = location
        self.file = file
        self.line = line
    }

    /// `line N: reason`, the form shown in commit statuses and the CLI.
    public var description: String { "line \(location.line): \(reason)" }

    public static func == (lhs: PipelineError, rhs: PipelineError) -> Bool { lhs.code == rhs.code }
}
