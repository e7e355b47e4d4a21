import Foundation

/// Serializes response objects to JSON quickly and deterministically: keys in byte order, no
/// escaped slashes. Foundation's writer sorts keys with locale-aware comparison, which dominated
/// the cost of small responses.
enum JSONWriter {
    /// Encodes a JSON-compatible value: dictionaries with String keys, arrays, strings, numbers,
    /// Booleans and NSNull.
    static func encode(_ value: Any) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(256)
        write(value, into: &output)
        return output
    }

    private static func write(_ value: Any, into output: inout [UInt8]) {
        switch value {
        case let string as String:
            writeString(string, into: &output)
        case let dictionary as [String: Any]:
            output.append(UInt8(ascii: "{"))
            for (index, key) in dictionary.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }).enumerated()
            {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                writeString(key, into: &output)
                output.append(UInt8(ascii: ":"))
                write(dictionary[key] ?? NSNull(), into: &output)
            }
            output.append(UInt8(ascii: "}"))
        case let array as [Any]:
            output.append(UInt8(ascii: "["))
            for (index, element) in array.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                write(element, into: &output)
            }
            output.append(UInt8(ascii: "]"))
        case let flag as Bool where !(value is NSNumber) || isBoolean(value as? NSNumber):
            output += Array((flag ? "true" : "false").utf8)
        case let number as Int:
            output += Array(String(number).utf8)
        case let number as Int64:
            output += Array(String(number).utf8)
        case let number as UInt32:
            output += Array(String(number).utf8)
        case let number as Double:
            output += Array((number.isFinite ? String(number) : "null").utf8)
        case let number as NSNumber:
            output += Array(number.stringValue.utf8)
        default:
            output += Array("null".utf8)
        }
    }

    private static func isBoolean(_ number: NSNumber?) -> Bool {
        guard let number else { return false }
        return String(cString: number.objCType) == "c"
    }

    private static func writeString(_ string: String, into output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        for byte in string.utf8 {
            switch byte {
            case UInt8(ascii: "\""): output += [UInt8(ascii: "\\"), UInt8(ascii: "\"")]
            case UInt8(ascii: "\\"): output += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
            case 0x0a: output += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
            case 0x0d: output += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
            case 0x09: output += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
            case 0..<0x20:
                output += Array(String(format: "\\u%04x", byte).utf8)
            default:
                output.append(byte)
            }
        }
        output.append(UInt8(ascii: "\""))
    }
}
