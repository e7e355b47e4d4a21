/// Strict percent-decoding, shared by the request target, multipart headers and the API's paths.
public enum PercentEncoding {
    /// Why bytes could not be decoded.
    public enum Failure: Error, Equatable {
        /// A `%` not followed by two more characters.
        case incomplete
        /// A `%` followed by something other than two hex digits.
        case invalid
    }

    /// The bytes `encoded` stands for; `+` becomes a space when `plusAsSpace` (query strings).
    public static func decode(_ encoded: some Collection<UInt8>, plusAsSpace: Bool = false) throws(Failure) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(encoded.count)
        var iterator = encoded.makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(plusAsSpace && byte == UInt8(ascii: "+") ? UInt8(ascii: " ") : byte)
                continue
            }
            guard let first = iterator.next(), let second = iterator.next() else { throw .incomplete }
            guard let high = hexValue(first), let low = hexValue(second) else { throw .invalid }
            bytes.append(high << 4 | low)
        }
        return bytes
    }

    /// One path segment as text: nil for a malformed escape, an encoded NUL, or bytes that are not UTF-8.
    public static func decodePathSegment(_ segment: Substring) -> String? {
        guard segment.utf8.contains(UInt8(ascii: "%")) else { return String(segment) }
        guard let bytes = try? decode(segment.utf8), !bytes.contains(0) else { return nil }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
