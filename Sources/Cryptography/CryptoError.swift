/// An error thrown by the Cryptography module.
///
/// Two errors are equal when their codes are equal. The description never holds key or
/// plaintext bytes; for `.library` errors it carries the text OpenSSL queued for the failure.
public struct CryptoError: Error, CustomStringConvertible, Equatable {
    /// The kind of failure, stable enough to branch on.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case integrity
            case invalidInput
            case library
            case randomness
        }

        private let base: Base

        private init(_ base: Base) {
            self.base = base
        }

        /// Authentication failed: wrong key, nonce, additional data, ciphertext or tag.
        public static let integrity = Code(.integrity)

        /// A caller passed a key, nonce, tag or length the operation cannot accept.
        public static let invalidInput = Code(.invalidInput)

        /// OpenSSL reported a failure that is not the caller's doing.
        public static let library = Code(.library)

        /// The random number generator could not produce bytes.
        public static let randomness = Code(.randomness)

        /// The code's name, such as `integrity`.
        public var description: String { base.rawValue }
    }

    /// The kind of failure.
    public let code: Code

    /// A human sentence saying what failed; never contains key or plaintext bytes.
    public let reason: String

    /// The OpenSSL error queue entries drained when the error was made, oldest first.
    public let libraryErrors: [String]

    /// The source file that threw the error.
    public let file: String

    /// The line in `file` that threw the error.
    public let line: Int

    /// Makes an error; `libraryErrors` is usually filled by ``CryptoError/library(_:file:line:)``.
    public init(
        _ code: Code,
        reason: String,
        libraryErrors: [String] = [],
        file: String = #fileID,
        line: Int = #line
    ) {
        self.code = code
        self.reason = reason
        self.libraryErrors = libraryErrors
        self.file = file
        self.line = line
    }

    /// The code, the reason, OpenSSL's own text if any, and where the error was thrown.
    public var description: String {
        var text = "CryptoError.\(code): \(reason)"
        if !libraryErrors.isEmpty {
            text += " (OpenSSL: \(libraryErrors.joined(separator: "; ")))"
        }
        return text + " [\(file):\(line)]"
    }

    /// Compares the codes only.
    public static func == (lhs: CryptoError, rhs: CryptoError) -> Bool {
        lhs.code == rhs.code
    }
}
