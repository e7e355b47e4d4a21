/// One result row, read by column index.
public struct Row: Sendable {
    let values: [SQLValue]

    /// The value of column `index`; null past the end.
    public subscript(index: Int) -> SQLValue {
        index < values.count ? values[index] : .null
    }

    /// The column as an integer; nil when null or of another type.
    public func int(_ index: Int) -> Int64? {
        if case .integer(let value) = self[index] { return value }
        return nil
    }

    /// The column as text; nil when null or of another type.
    public func text(_ index: Int) -> String? {
        if case .text(let value) = self[index] { return value }
        return nil
    }

    /// The column as bytes; nil when null. Empty blobs read as an empty array.
    public func blob(_ index: Int) -> [UInt8]? {
        switch self[index] {
        case .blob(let value): value
        case .text(let value): Array(value.utf8)
        default: nil
        }
    }

    /// The column as a Boolean stored as 0 or 1.
    public func bool(_ index: Int) -> Bool {
        int(index).map { $0 != 0 } ?? false
    }
}
