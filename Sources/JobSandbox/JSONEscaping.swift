/// JSON string escapes of a value as common serialisers write them (without the quotes).
enum JSONEscaping {
    /// The minimal escape (most serialisers), with `\/` (PHP, some Java), and ASCII-only with `\uXXXX`
    /// for everything outside ASCII (Python's `json.dumps`, jq `-a`).
    static func variants(of value: [UInt8]) -> Set<[UInt8]> {
        let minimal = escape(value, slash: false, asciiOnly: false)
        let slashed = escape(value, slash: true, asciiOnly: false)
        let ascii = escape(value, slash: false, asciiOnly: true)
        return [minimal, slashed, ascii]
    }

    private static func escape(_ value: [UInt8], slash: Bool, asciiOnly: Bool) -> [UInt8] {
        var output: [UInt8] = []
        if asciiOnly && !value.allSatisfy({ $0 < 0x80 }) {
            for scalar in String(decoding: value, as: UTF8.self).unicodeScalars {
                if scalar.value < 0x80 {
                    output += escapeASCII(UInt8(scalar.value), slash: slash)
                } else {
                    for unit in String(scalar).utf16 { output += unicodeEscape(unit) }
                }
            }
            return output
        }
        for byte in value { output += byte < 0x80 ? escapeASCII(byte, slash: slash) : [byte] }
        return output
    }

    private static func escapeASCII(_ byte: UInt8, slash: Bool) -> [UInt8] {
        switch byte {
        case UInt8(ascii: "\""): Array("\\\"".utf8)
        case UInt8(ascii: "\\"): Array("\\\\".utf8)
        case UInt8(ascii: "/") where slash: Array("\\/".utf8)
        case 0x08: Array("\\b".utf8)
        case 0x0c: Array("\\f".utf8)
        case UInt8(ascii: "\n"): Array("\\n".utf8)
        case UInt8(ascii: "\r"): Array("\\r".utf8)
        case UInt8(ascii: "\t"): Array("\\t".utf8)
        case 0..<0x20: unicodeEscape(UInt16(byte))
        default: [byte]
        }
    }

    private static func unicodeEscape(_ unit: UInt16) -> [UInt8] {
        Array("\\u".utf8)
            + Array(SecretForms.hex([UInt8(unit >> 8), UInt8(unit & 0xff)], digits: "0123456789abcdef").utf8)
    }
}
