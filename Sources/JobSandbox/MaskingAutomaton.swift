/// An Aho–Corasick automaton over all the patterns of a set of secrets, shared by any number of maskers.
///
/// Immutable once built. The root's transitions are a dense table (most log bytes start no pattern);
/// the other states keep their few edges in flat arrays, so memory grows with the patterns' total
/// length rather than 256 entries per state.
public final class MaskingAutomaton: Sendable {
    /// The length of the longest pattern; a masker never holds back more bytes than this.
    public let longestPattern: Int
    /// How many patterns the secrets produced.
    public let patternCount: Int

    private let rootTransitions: [Int32]
    private let edgeStart: [Int32]
    private let edgeBytes: [UInt8]
    private let edgeTargets: [Int32]
    private let failure: [Int32]
    /// Length of the longest pattern that ends at each state, following failure links; 0 for none.
    let matchLength: [Int32]
    /// Length of the input suffix each state stands for: where a match could still begin.
    let depth: [Int32]

    /// Builds the automaton for `secrets` (raw values) and every form they may be printed in.
    public convenience init(secrets: [[UInt8]]) {
        var patterns: Set<[UInt8]> = []
        for secret in secrets { patterns.formUnion(SecretForms.patterns(for: secret)) }
        self.init(patterns: Array(patterns))
    }

    /// Builds the automaton for exactly `patterns`.
    init(patterns: [[UInt8]]) {
        var trie = TrieBuilder()
        for pattern in patterns where !pattern.isEmpty { trie.insert(pattern) }
        trie.linkFailures()
        longestPattern = patterns.map(\.count).max() ?? 0
        patternCount = patterns.count
        rootTransitions = (0..<256).map { trie.children[0][UInt8($0)] ?? 0 }
        var starts: [Int32] = [0]
        var bytes: [UInt8] = []
        var targets: [Int32] = []
        for edges in trie.children {
            for (byte, target) in edges.sorted(by: { $0.key < $1.key }) {
                bytes.append(byte)
                targets.append(target)
            }
            starts.append(Int32(bytes.count))
        }
        edgeStart = starts
        edgeBytes = bytes
        edgeTargets = targets
        failure = trie.failure
        matchLength = trie.matchLength
        depth = trie.depth
    }

    /// The state after reading `byte` in `state`.
    @inline(__always)
    func next(_ state: Int32, _ byte: UInt8) -> Int32 {
        var current = state
        while current != 0 {
            if let target = child(of: current, byte) { return target }
            current = failure[Int(current)]
        }
        return rootTransitions[Int(byte)]
    }

    @inline(__always)
    private func child(of state: Int32, _ byte: UInt8) -> Int32? {
        var index = Int(edgeStart[Int(state)])
        let end = Int(edgeStart[Int(state) + 1])
        while index < end {
            if edgeBytes[index] == byte { return edgeTargets[index] }
            index += 1
        }
        return nil
    }
}

/// The trie with failure links, before it is packed into flat arrays.
private struct TrieBuilder {
    var children: [[UInt8: Int32]] = [[:]]
    var failure: [Int32] = [0]
    var matchLength: [Int32] = [0]
    var depth: [Int32] = [0]

    mutating func insert(_ pattern: [UInt8]) {
        var state: Int32 = 0
        for byte in pattern {
            if let next = children[Int(state)][byte] {
                state = next
                continue
            }
            let next = Int32(children.count)
            children.append([:])
            failure.append(0)
            matchLength.append(0)
            depth.append(depth[Int(state)] + 1)
            children[Int(state)][byte] = next
            state = next
        }
        matchLength[Int(state)] = Int32(pattern.count)
    }

    /// Breadth-first, so a state's failure target (a shorter suffix) is final before the state is visited.
    mutating func linkFailures() {
        var queue = Array(children[0].values)
        var head = 0
        while head < queue.count {
            let state = queue[head]
            head += 1
            for (byte, child) in children[Int(state)] {
                var candidate = state == 0 ? -1 : failure[Int(state)]
                var target: Int32 = 0
                while candidate >= 0 {
                    if let next = children[Int(candidate)][byte], next != child {
                        target = next
                        break
                    }
                    candidate = candidate == 0 ? -1 : failure[Int(candidate)]
                }
                failure[Int(child)] = target
                matchLength[Int(child)] = max(matchLength[Int(child)], matchLength[Int(target)])
                queue.append(child)
            }
        }
    }
}
