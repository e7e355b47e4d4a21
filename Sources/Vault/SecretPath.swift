/// A validated secret path: segments of `[A-Za-z0-9._-]` joined by `/`.
///
/// No segment is empty, `.` or `..`, and the whole path is at most 256 characters.
public struct SecretPath: Hashable, Sendable, CustomStringConvertible {
    /// The longest accepted path, in characters.
    public static let maximumLength = 256

    /// The path as text.
    public let value: String

    /// Validates `text`; throws `invalidPath` with the rule it breaks.
    public init(_ text: String) throws(VaultError) {
        guard !text.isEmpty else {
            throw VaultError(.invalidPath, "a secret path must not be empty")
        }
        guard text.utf8.count <= SecretPath.maximumLength else {
            throw VaultError(.invalidPath, "a secret path is at most \(SecretPath.maximumLength) characters")
        }
        for segment in text.split(separator: "/", omittingEmptySubsequences: false) {
            guard !segment.isEmpty else {
                throw VaultError(.invalidPath, "a secret path has no empty segment and no leading or trailing '/'")
            }
            guard segment != ".", segment != ".." else {
                throw VaultError(.invalidPath, "a secret path has no '.' or '..' segment")
            }
            guard segment.utf8.allSatisfy(SecretPath.isAllowed) else {
                throw VaultError(.invalidPath, "a secret path segment holds only letters, digits, '.', '_' and '-'")
            }
        }
        self.value = text
    }

    public var description: String { value }

    /// Whether `text` is a valid listing prefix: empty, or path characters with `/` (may end in `/`).
    public static func isValidPrefix(_ text: String) -> Bool {
        text.utf8.count <= maximumLength && text.utf8.allSatisfy { isAllowed($0) || $0 == UInt8(ascii: "/") }
            && !text.hasPrefix("/") && !text.contains("//")
            && !text.split(separator: "/").contains { $0 == "." || $0 == ".." }
    }

    static func isAllowed(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "-"):
            true
        default:
            false
        }
    }
}
