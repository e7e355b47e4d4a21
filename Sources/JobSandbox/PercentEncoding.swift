/// URL encodings of a value as common tools produce them.
///
/// Encoders differ in which punctuation they leave alone and in how they write a space, so each
/// profile below is one widespread encoder; duplicates collapse in the caller's set.
enum PercentEncoding {
    private struct Profile {
        let safe: [UInt8]
        let spaceAsPlus: Bool
        let lowercase: Bool
    }

    private static let profiles = [
        // RFC 3986 unreserved characters (curl --data-urlencode, Go url.PathEscape and most libraries).
        Profile(safe: Array("-._~".utf8), spaceAsPlus: false, lowercase: false),
        Profile(safe: Array("-._~".utf8), spaceAsPlus: false, lowercase: true),
        // JavaScript encodeURIComponent.
        Profile(safe: Array("-_.!~*'()".utf8), spaceAsPlus: false, lowercase: false),
        // HTML forms: Java URLEncoder, Go url.QueryEscape, Python quote_plus.
        Profile(safe: Array("-._*".utf8), spaceAsPlus: true, lowercase: false),
        Profile(safe: Array("-._~".utf8), spaceAsPlus: true, lowercase: false),
        // Python urllib.parse.quote leaves '/' alone by default.
        Profile(safe: Array("-._~/".utf8), spaceAsPlus: false, lowercase: false),
    ]

    /// Every profile's encoding of `value`.
    static func variants(of value: [UInt8]) -> Set<[UInt8]> {
        Set(profiles.map { encode(value, $0) })
    }

    private static func encode(_ value: [UInt8], _ profile: Profile) -> [UInt8] {
        let digits = Array((profile.lowercase ? "0123456789abcdef" : "0123456789ABCDEF").utf8)
        var output: [UInt8] = []
        for byte in value {
            if isAlphanumeric(byte) || profile.safe.contains(byte) {
                output.append(byte)
            } else if byte == UInt8(ascii: " ") && profile.spaceAsPlus {
                output.append(UInt8(ascii: "+"))
            } else {
                output += [UInt8(ascii: "%"), digits[Int(byte >> 4)], digits[Int(byte & 0x0f)]]
            }
        }
        return output
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }
}
