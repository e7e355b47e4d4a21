/// A value in a pipeline expression: null, a boolean, a number or a string.
///
/// Conversions follow GitHub Actions: when `==` or `!=` compare values of different types both are
/// turned into numbers; strings compare ignoring case; `false`, `0`, `""`, `null` and NaN are falsy.
public enum ExpressionValue: Sendable, Codable, Hashable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)

    /// Whether the value counts as true in `if:`, `&&`, `||` and `!`.
    public var isTruthy: Bool {
        switch self {
        case .null: false
        case .bool(let value): value
        case .number(let value): value != 0 && !value.isNaN
        case .string(let value): !value.isEmpty
        }
    }

    /// The text substituted for `${{ }}`: null is empty, numbers print without a needless `.0`.
    public var text: String {
        switch self {
        case .null: ""
        case .bool(let value): value ? "true" : "false"
        case .string(let value): value
        case .number(let value): Self.format(value)
        }
    }

    /// The value as a number, for comparing values of different types.
    var numeric: Double {
        switch self {
        case .null: 0
        case .bool(let value): value ? 1 : 0
        case .number(let value): value
        case .string(let value): Self.parseNumber(value.trimmingWhitespace()) ?? .nan
        }
    }

    /// Loose equality as GitHub defines it.
    func looselyEquals(_ other: ExpressionValue) -> Bool {
        switch (self, other) {
        case (.null, .null): true
        case (.bool(let lhs), .bool(let rhs)): lhs == rhs
        case (.string(let lhs), .string(let rhs)): lhs.lowercased() == rhs.lowercased()
        default: numeric == other.numeric
        }
    }

    /// Parses a number as JSON writes it, plus `0x` hexadecimal; the empty string is 0.
    static func parseNumber(_ text: String) -> Double? {
        if text.isEmpty { return 0 }
        if text.hasPrefix("0x"), let value = Int64(text.dropFirst(2), radix: 16) { return Double(value) }
        guard text.allSatisfy({ $0.isASCII && ($0.isNumber || "+-.eE".contains($0)) }) else { return nil }
        guard let value = Double(text), value.isFinite else { return nil }
        return value
    }

    static func format(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Infinity" : "Infinity" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }
}

extension String {
    func trimmingWhitespace() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        let last = scalars.lastIndex(where: { !$0.properties.isWhitespace }) ?? first
        return String(scalars[first...last])
    }
}
