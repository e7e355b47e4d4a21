/// Durations as operators write them: `90s`, `15m`, `2h`, `7d`, or combinations such as `1h30m`.
public enum DurationParsing {
    /// Parses a duration into whole seconds; nil when the text is not a positive duration.
    ///
    /// A bare number is not accepted, so that `15` is never silently read as seconds.
    public static func seconds(from text: String) -> Int64? {
        guard !text.isEmpty, text.count <= 32 else { return nil }
        var total: Int64 = 0
        var digits: Int64?
        for character in text {
            if let digit = character.wholeNumberValue, character.isASCII {
                let next = (digits ?? 0).multipliedReportingOverflow(by: 10)
                guard !next.overflow, next.partialValue <= Int64(Int32.max) else { return nil }
                digits = next.partialValue + Int64(digit)
                continue
            }
            guard let amount = digits, let unit = unitSeconds(character) else { return nil }
            let product = amount.multipliedReportingOverflow(by: unit)
            guard !product.overflow else { return nil }
            let sum = total.addingReportingOverflow(product.partialValue)
            guard !sum.overflow else { return nil }
            total = sum.partialValue
            digits = nil
        }
        guard digits == nil, total > 0 else { return nil }
        return total
    }

    /// Formats seconds the way they are parsed, largest units first: `3660` is `1h1m`.
    public static func format(seconds: Int64) -> String {
        guard seconds > 0 else { return "0s" }
        var rest = seconds
        var text = ""
        for (unit, size) in [("d", Int64(86_400)), ("h", 3_600), ("m", 60), ("s", 1)] where rest >= size {
            text += "\(rest / size)\(unit)"
            rest %= size
        }
        return text
    }

    private static func unitSeconds(_ character: Character) -> Int64? {
        switch character {
        case "s": 1
        case "m": 60
        case "h": 3_600
        case "d": 86_400
        case "w": 604_800
        default: nil
        }
    }
}
