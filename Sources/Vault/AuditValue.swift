/// A JSON value in an audit line, rendered with keys in the order given so lines read the same way.
public indirect enum AuditValue: Sendable, Equatable {
    case string(String)
    case integer(Int64)
    case bool(Bool)
    case null
    case array([AuditValue])
    case object([AuditField])

    /// Appends the JSON text of the value to `output`.
    func render(into output: inout [UInt8]) {
        switch self {
        case .string(let text): AuditValue.renderString(text, into: &output)
        case .integer(let number): output += Array(String(number).utf8)
        case .bool(let flag): output += Array((flag ? "true" : "false").utf8)
        case .null: output += Array("null".utf8)
        case .array(let items):
            output.append(UInt8(ascii: "["))
            for (index, item) in items.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                item.render(into: &output)
            }
            output.append(UInt8(ascii: "]"))
        case .object(let fields):
            AuditValue.renderObject(fields, into: &output)
        }
    }

    static func renderObject(_ fields: [AuditField], into output: inout [UInt8]) {
        output.append(UInt8(ascii: "{"))
        for (index, field) in fields.enumerated() {
            if index > 0 { output.append(UInt8(ascii: ",")) }
            renderString(field.name, into: &output)
            output.append(UInt8(ascii: ":"))
            field.value.render(into: &output)
        }
        output.append(UInt8(ascii: "}"))
    }

    /// JSON string escaping: quotes, backslashes and every control character, so a line never breaks.
    static func renderString(_ text: String, into output: inout [UInt8]) {
        let hex = Array("0123456789abcdef".utf8)
        output.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): output += [UInt8(ascii: "\\"), UInt8(ascii: "\"")]
            case UInt8(ascii: "\\"): output += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
            case 0x0a: output += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
            case 0..<0x20, 0x7f:
                output += Array("\\u00".utf8) + [hex[Int(byte >> 4)], hex[Int(byte & 0x0f)]]
            default: output.append(byte)
            }
        }
        output.append(UInt8(ascii: "\""))
    }
}

/// One named field of an audit line or object.
public struct AuditField: Sendable, Equatable {
    public let name: String
    public let value: AuditValue

    public init(_ name: String, _ value: AuditValue) {
        self.name = name
        self.value = value
    }
}
