/// A value bound to or read from an SQL statement.
public enum SQLValue: Sendable, Equatable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob([UInt8])
}

extension SQLValue: ExpressibleByIntegerLiteral, ExpressibleByStringLiteral, ExpressibleByNilLiteral {
    public init(integerLiteral value: Int64) { self = .integer(value) }

    public init(stringLiteral value: String) { self = .text(value) }

    public init(nilLiteral: ()) { self = .null }
}

extension SQLValue {
    /// An integer value, or null for nil.
    public static func optional(_ value: Int64?) -> SQLValue {
        value.map(SQLValue.integer) ?? .null
    }

    /// A text value, or null for nil.
    public static func optional(_ value: String?) -> SQLValue {
        value.map(SQLValue.text) ?? .null
    }

    /// A Boolean stored as 0 or 1.
    public static func bool(_ value: Bool) -> SQLValue {
        .integer(value ? 1 : 0)
    }
}
