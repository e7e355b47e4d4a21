/// Replaces every secret in a byte stream with `***`, however the stream is split into writes.
///
/// Feed chunks to `mask(_:)` and print what it returns; call `flush()` at the end of the stream.
/// Bytes are held back only while they could still be the start of a pattern, so the delay is at
/// most the longest pattern. Overlapping matches merge into one `***`. A value type with no I/O:
/// keep one masker per stream (stdout, stderr) and share the automaton between them.
public struct SecretMasker: Sendable {
    /// What a secret is replaced with.
    public static let replacement: [UInt8] = Array("***".utf8)

    /// The compiled patterns.
    public let automaton: MaskingAutomaton
    private var state: Int32 = 0
    /// Bytes not yet released; `pending[0]` is at stream position `base`.
    private var pending: [UInt8] = []
    private var base = 0
    /// Stream ranges to mask within `pending`: sorted, not overlapping, end exclusive.
    private var ranges: [Range<Int>] = []

    /// A masker for the patterns of `automaton`.
    public init(automaton: MaskingAutomaton) {
        self.automaton = automaton
    }

    /// A masker for `secrets` and all their printed forms.
    public init(secrets: [[UInt8]]) {
        self.init(automaton: MaskingAutomaton(secrets: secrets))
    }

    /// Bytes held back, waiting for the next chunk or `flush()`.
    public var heldBackCount: Int { pending.count }

    /// Reads `chunk` and returns the bytes that can no longer be part of a secret, masked.
    public mutating func mask(_ chunk: [UInt8]) -> [UInt8] {
        var position = base + pending.count
        pending.append(contentsOf: chunk)
        let automaton = self.automaton
        for byte in chunk {
            state = automaton.next(state, byte)
            position += 1
            let length = Int(automaton.matchLength[Int(state)])
            if length > 0 { addRange(position - length..<position) }
        }
        // A future match can only begin within the suffix the current state stands for.
        let frontier = position - Int(automaton.depth[Int(state)])
        var release = frontier
        if let open = ranges.first(where: { $0.upperBound > frontier }) { release = min(release, open.lowerBound) }
        return emit(upTo: release)
    }

    /// Releases everything held back, masked; the stream may go on afterwards as a new one.
    public mutating func flush() -> [UInt8] {
        state = 0
        return emit(upTo: base + pending.count)
    }

    /// Masks a whole buffer in one go.
    public static func mask(_ bytes: [UInt8], automaton: MaskingAutomaton) -> [UInt8] {
        var masker = SecretMasker(automaton: automaton)
        return masker.mask(bytes) + masker.flush()
    }

    private mutating func addRange(_ range: Range<Int>) {
        var lower = max(range.lowerBound, base)
        while let last = ranges.last, last.upperBound > lower {
            lower = min(lower, last.lowerBound)
            ranges.removeLast()
        }
        ranges.append(lower..<range.upperBound)
    }

    private mutating func emit(upTo end: Int) -> [UInt8] {
        guard end > base else { return [] }
        var output: [UInt8] = []
        output.reserveCapacity(end - base)
        var cursor = base
        var consumed = 0
        for range in ranges {
            guard range.lowerBound < end else { break }
            output.append(contentsOf: pending[(cursor - base)..<(range.lowerBound - base)])
            output.append(contentsOf: Self.replacement)
            cursor = range.upperBound
            consumed += 1
        }
        output.append(contentsOf: pending[(cursor - base)..<(end - base)])
        ranges.removeFirst(consumed)
        pending.removeFirst(end - base)
        base = end
        return output
    }
}
