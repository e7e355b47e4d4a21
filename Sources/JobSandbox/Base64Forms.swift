/// The parts of a value's base64 encoding that do not depend on the bytes around it.
///
/// A secret inside a larger encoded blob starts at byte offset 0, 1 or 2 of a 3-byte group. For each
/// offset only the characters whose 6 bits all come from the secret are fixed; those are the patterns.
enum Base64Forms {
    static let standardAlphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    static let urlAlphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    /// The stable inner characters at the three alignments, in the standard and the URL alphabet.
    static func stableCores(of value: [UInt8]) -> [[UInt8]] {
        var cores: [[UInt8]] = []
        for offset in 0..<3 {
            let encoded = encode([UInt8](repeating: 0, count: offset) + value, alphabet: standardAlphabet)
            // Character j holds bits 6j..<6j+6; keep those entirely inside the value's bits.
            let first = (8 * offset + 5) / 6
            let end = 8 * (offset + value.count) / 6
            guard first < end else { continue }
            let core = Array(encoded[first..<end])
            cores.append(core)
            cores.append(core.map(toURLAlphabet))
        }
        return cores
    }

    /// Standard base64 with padding.
    static func encode(_ bytes: [UInt8], alphabet: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity((bytes.count + 2) / 3 * 4)
        var index = 0
        while index < bytes.count {
            let count = min(3, bytes.count - index)
            var group = UInt32(bytes[index]) << 16
            if count > 1 { group |= UInt32(bytes[index + 1]) << 8 }
            if count > 2 { group |= UInt32(bytes[index + 2]) }
            for position in 0..<4 {
                let character = alphabet[Int((group >> UInt32(18 - 6 * position)) & 0x3f)]
                output.append(position <= count ? character : UInt8(ascii: "="))
            }
            index += 3
        }
        return output
    }

    private static func toURLAlphabet(_ character: UInt8) -> UInt8 {
        switch character {
        case UInt8(ascii: "+"): UInt8(ascii: "-")
        case UInt8(ascii: "/"): UInt8(ascii: "_")
        default: character
        }
    }
}
