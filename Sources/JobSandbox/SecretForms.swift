/// The byte patterns that reveal a secret value in a log: the value and the forms it is commonly printed in.
///
/// For each value (and the value without trailing whitespace, as read from a file): the value itself,
/// each of its lines, base64 and base64url at the three alignments, lower and upper hex, the usual
/// URL encodings and JSON string escapes. A value or pattern under `minimumLength` bytes is dropped:
/// masking `{` or `abc` everywhere would wreck the log and protect nothing.
enum SecretForms {
    /// Patterns shorter than this are never masked on their own.
    static let minimumLength = 4

    /// Every pattern for `value`, without duplicates.
    static func patterns(for value: [UInt8]) -> Set<[UInt8]> {
        var patterns: Set<[UInt8]> = []
        let trimmed = Array(value.reversed().drop { isTrailingSpace($0) }.reversed())
        // A value too short to mask alone is not masked in any encoding either: its hex or base64
        // would only blank out innocent text.
        for variant in Set([value, trimmed]) where variant.count >= minimumLength {
            patterns.formUnion(encodings(of: variant))
            for line in lines(of: variant) {
                patterns.insert(line)
                patterns.formUnion(JSONEscaping.variants(of: line))
            }
        }
        return patterns.filter { $0.count >= minimumLength }
    }

    private static func encodings(of value: [UInt8]) -> Set<[UInt8]> {
        var forms: Set<[UInt8]> = [value]
        forms.formUnion(Base64Forms.stableCores(of: value))
        forms.insert(Array(hex(value, digits: "0123456789abcdef").utf8))
        forms.insert(Array(hex(value, digits: "0123456789ABCDEF").utf8))
        forms.formUnion(PercentEncoding.variants(of: value))
        forms.formUnion(JSONEscaping.variants(of: value))
        return forms
    }

    /// The lines of a multi-line value long enough to mask alone; a single-line value has none.
    static func lines(of value: [UInt8]) -> [[UInt8]] {
        let parts = value.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true)
        guard parts.count > 1 else { return [] }
        return parts.compactMap { part in
            let line = Array(part.last == UInt8(ascii: "\r") ? part.dropLast() : part[...])
            // Counted in characters, so a short line of multi-byte characters is not masked either.
            let characters = String(decoding: line, as: UTF8.self).count
            return characters >= minimumLength ? line : nil
        }
    }

    private static func isTrailingSpace(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") || byte == UInt8(ascii: " ")
            || byte == UInt8(ascii: "\t")
    }

    static func hex(_ bytes: [UInt8], digits: String) -> String {
        let table = Array(digits.utf8)
        var text: [UInt8] = []
        text.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            text.append(table[Int(byte >> 4)])
            text.append(table[Int(byte & 0x0f)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
