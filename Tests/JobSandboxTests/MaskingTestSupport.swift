@testable import JobSandbox

/// A small deterministic generator (SplitMix64), so randomised tests repeat exactly.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}

enum MaskingReference {
    /// The obvious quadratic masker: find every occurrence of every pattern, merge overlaps, replace.
    static func mask(_ text: [UInt8], patterns: [[UInt8]]) -> [UInt8] {
        var covered: [Range<Int>] = []
        for pattern in patterns where !pattern.isEmpty && pattern.count <= text.count {
            for start in 0...(text.count - pattern.count)
            where text[start..<(start + pattern.count)].elementsEqual(pattern) {
                covered.append(start..<(start + pattern.count))
            }
        }
        covered.sort { $0.lowerBound < $1.lowerBound }
        var merged: [Range<Int>] = []
        for range in covered {
            if let last = merged.last, range.lowerBound < last.upperBound {
                merged[merged.count - 1] = last.lowerBound..<max(last.upperBound, range.upperBound)
            } else {
                merged.append(range)
            }
        }
        var output: [UInt8] = []
        var cursor = 0
        for range in merged {
            output += text[cursor..<range.lowerBound] + SecretMasker.replacement
            cursor = range.upperBound
        }
        return output + text[cursor...]
    }

    /// Feeds `text` in chunks of the given sizes (cycled) and returns everything released, flush included.
    static func stream(_ text: [UInt8], through masker: inout SecretMasker, chunkSizes: [Int]) -> [UInt8] {
        var output: [UInt8] = []
        var offset = 0
        var index = 0
        while offset < text.count {
            let size = max(1, chunkSizes[index % chunkSizes.count])
            let end = min(text.count, offset + size)
            output += masker.mask(Array(text[offset..<end]))
            offset = end
            index += 1
        }
        return output + masker.flush()
    }
}

extension String {
    var bytes: [UInt8] { Array(utf8) }
}

extension Array where Element == UInt8 {
    var text: String { String(decoding: self, as: UTF8.self) }
}
