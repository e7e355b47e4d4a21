/// The `on.push.branches` patterns of a pipeline, in order, as GitHub Actions evaluates them.
///
/// `*` matches any run of characters except `/`; `**` matches any run including `/`; `\` makes
/// the next character literal; a leading `!` excludes. Patterns apply in order and the last one
/// that matches decides, so `[release/*, "!release/old"]` takes `release/new` but not `release/old`.
/// GitHub's `?`, `+` and `[...]` are refused rather than read differently.
struct BranchFilter: Sendable, Equatable {
    private enum Piece: Sendable, Equatable {
        case character(Character)
        case star
        case doubleStar
    }

    private struct Pattern: Sendable, Equatable {
        let isNegated: Bool
        let pieces: [Piece]
    }

    private let patterns: [Pattern]

    /// Parses the patterns; throws `invalidBranchFilter` at the offending item's line.
    init(_ items: [(text: String, location: PipelineError.Location)]) throws(PipelineError) {
        var patterns: [Pattern] = []
        for item in items {
            patterns.append(try Self.parse(item.text, at: item.location))
        }
        if let first = items.first, !patterns.isEmpty, patterns.allSatisfy(\.isNegated) {
            let reason = "branches lists only '!' patterns; add at least one pattern that includes branches"
            throw PipelineError(.invalidBranchFilter, reason, at: first.location)
        }
        self.patterns = patterns
    }

    /// Whether a push to `branch` triggers the pipeline.
    func matches(_ branch: String) -> Bool {
        let characters = Array(branch)
        var isIncluded = false
        for pattern in patterns where Self.match(pattern.pieces, characters) {
            isIncluded = !pattern.isNegated
        }
        return isIncluded
    }

    private static func parse(_ text: String, at location: PipelineError.Location) throws(PipelineError) -> Pattern {
        var characters = Array(text)
        let isNegated = characters.first == "!"
        if isNegated { characters.removeFirst() }
        guard !characters.isEmpty else {
            throw PipelineError(.invalidBranchFilter, "an empty branch pattern", at: location)
        }
        var pieces: [Piece] = []
        var index = 0
        while index < characters.count {
            let character = characters[index]
            switch character {
            case "\\":
                guard index + 1 < characters.count else {
                    throw PipelineError(.invalidBranchFilter, "branch pattern '\(text)' ends with '\\'", at: location)
                }
                pieces.append(.character(characters[index + 1]))
                index += 2
                continue
            case "*":
                let isDouble = index + 1 < characters.count && characters[index + 1] == "*"
                pieces.append(isDouble ? .doubleStar : .star)
                index += isDouble ? 2 : 1
                continue
            case "?", "+", "[", "]":
                let reason = "branch pattern '\(text)' uses '\(character)', which is not supported; use * or **"
                throw PipelineError(.invalidBranchFilter, reason, at: location)
            default:
                pieces.append(.character(character))
                index += 1
            }
        }
        return Pattern(isNegated: isNegated, pieces: pieces)
    }

    /// Dynamic programming over (piece, character) so that many stars stay linear per cell.
    private static func match(_ pieces: [Piece], _ text: [Character]) -> Bool {
        // reachable[j]: the pieces consumed so far can match text[0..<j].
        var reachable = [Bool](repeating: false, count: text.count + 1)
        reachable[0] = true
        for piece in pieces {
            var next = [Bool](repeating: false, count: text.count + 1)
            for start in 0...text.count where reachable[start] {
                switch piece {
                case .character(let expected):
                    if start < text.count, text[start] == expected { next[start + 1] = true }
                case .star, .doubleStar:
                    next[start] = true
                    var end = start
                    while end < text.count, piece == .doubleStar || text[end] != "/" {
                        end += 1
                        next[end] = true
                    }
                }
            }
            reachable = next
        }
        return reachable[text.count]
    }
}
