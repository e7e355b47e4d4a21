/// A glob over paths relative to the workspace: `*` matches any run of characters within one path
/// segment, `?` one character, and a `**` segment any number of segments (none included).
///
/// `dist/*.jar` matches `dist/app.jar` but not `dist/lib/x.jar`; `dist/**/*.jar` matches both;
/// `**/report.xml` matches the file at any depth. Pure: matching reads no file system.
struct ArtifactGlob: Sendable, Equatable {
    /// One segment of the pattern.
    enum Segment: Sendable, Equatable {
        /// `**`: zero or more whole segments.
        case anyDepth
        /// A segment with `*` and `?`.
        case pattern([Character])
    }

    let segments: [Segment]

    /// Parses a pattern; empty and `.` segments are ignored.
    init(_ pattern: String) {
        segments = pattern.split(separator: "/").filter { $0 != "." }.map { text in
            text == "**" ? .anyDepth : .pattern(Array(text))
        }
    }

    /// Whether the pattern has no wildcard, so it names exactly one path.
    var isLiteral: Bool {
        segments.allSatisfy { segment in
            guard case .pattern(let characters) = segment else { return false }
            return !characters.contains("*") && !characters.contains("?")
        }
    }

    /// Whether `path` (relative, `/`-separated) matches.
    func matches(_ path: String) -> Bool {
        let parts = path.split(separator: "/").map { Array($0) }
        return Self.match(segments[...], parts[...])
    }

    private static func match(_ pattern: ArraySlice<Segment>, _ path: ArraySlice<[Character]>) -> Bool {
        guard let first = pattern.first else { return path.isEmpty }
        switch first {
        case .anyDepth:
            let rest = pattern.dropFirst()
            var remaining = path
            while true {
                if match(rest, remaining) { return true }
                guard !remaining.isEmpty else { return false }
                remaining = remaining.dropFirst()
            }
        case .pattern(let characters):
            guard let segment = path.first, matchSegment(characters[...], segment[...]) else { return false }
            return match(pattern.dropFirst(), path.dropFirst())
        }
    }

    /// `*` and `?` within one segment, by backtracking to the last `*`.
    private static func matchSegment(_ pattern: ArraySlice<Character>, _ text: ArraySlice<Character>) -> Bool {
        var p = pattern.startIndex
        var t = text.startIndex
        var star: (pattern: Int, text: Int)?
        while t < text.endIndex {
            if p < pattern.endIndex, pattern[p] == "?" || pattern[p] == text[t] {
                p += 1
                t += 1
            } else if p < pattern.endIndex, pattern[p] == "*" {
                star = (p, t)
                p += 1
            } else if let last = star {
                p = last.pattern + 1
                t = last.text + 1
                star = (last.pattern, last.text + 1)
            } else {
                return false
            }
        }
        while p < pattern.endIndex, pattern[p] == "*" { p += 1 }
        return p == pattern.endIndex
    }
}
