/// An error from setting up, starting or running an `HTTPServer`.
///
/// Two errors are equal when their codes are; the reason and the place it was thrown are for people.
public struct HTTPServerError: Error, Hashable, CustomStringConvertible {
    /// What went wrong, as a value callers can compare.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case invalidConfiguration
            case alreadyStarted
            case startFailed
        }

        private let base: Base

        private init(_ base: Base) {
            self.base = base
        }

        /// A setting is out of range or inconsistent (such as a certificate without a key).
        public static let invalidConfiguration = Code(.invalidConfiguration)
        /// `start()` was called on a server that was started before.
        public static let alreadyStarted = Code(.alreadyStarted)
        /// libmicrohttpd could not start, usually because the address could not be bound.
        public static let startFailed = Code(.startFailed)

        public var description: String {
            base.rawValue
        }
    }

    /// The kind of failure.
    public let code: Code
    /// A human explanation; never contains key material.
    public let reason: String
    /// The source file that threw.
    public let file: String
    /// The line that threw.
    public let line: UInt

    /// Creates an error; `file` and `line` default to the caller's position.
    public init(_ code: Code, reason: String, file: String = #fileID, line: UInt = #line) {
        self.code = code
        self.reason = reason
        self.file = file
        self.line = line
    }

    public static func == (lhs: HTTPServerError, rhs: HTTPServerError) -> Bool {
        lhs.code == rhs.code
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(code)
    }

    public var description: String {
        "HTTPServerError.\(code): \(reason) (\(file):\(line))"
    }
}
