/// One combination of a job's matrix: keys in the order they were defined, each with its value.
public struct MatrixCombination: Sendable, Codable, Hashable {
    /// The keys, dimension keys first, then keys added by `include`, in document order.
    public private(set) var keys: [String]
    /// The value of each key.
    public private(set) var values: [String: ExpressionValue]

    /// Creates a combination from ordered pairs.
    public init(_ pairs: [(String, ExpressionValue)] = []) {
        keys = []
        values = [:]
        for (key, value) in pairs { self[key] = value }
    }

    /// The value of `key`; setting a new key appends it to `keys`.
    public subscript(key: String) -> ExpressionValue? {
        get { values[key] }
        set {
            guard let newValue else { return }
            if values.updateValue(newValue, forKey: key) == nil { keys.append(key) }
        }
    }

    /// `key: value` pairs joined by `, `, as used in job ids: `java: 11, os: linux`.
    public var label: String {
        keys.map { "\($0): \(values[$0]?.text ?? "")" }.joined(separator: ", ")
    }

    /// The values alone joined by `, `, as GitHub shows them in job names: `11, linux`.
    public var valueLabel: String {
        keys.map { values[$0]?.text ?? "" }.joined(separator: ", ")
    }
}
