/// A named set of rules granting capabilities on path globs; anything not granted is denied.
///
/// Rule paths name secrets by their bare path (`app/*`). Paths starting with `sys/`, `artifacts/`,
/// `blobs/` or `ci/` name those areas instead (`sys/operator`, `sys/policies/NAME`, `sys/tokens`,
/// `sys/leases`, `sys/audit`, `artifacts/<name>`, `blobs/sha256:<hex>`, `ci/repos`, `ci/pipelines`,
/// `ci/runners`), so a rule on `**` grants every secret but nothing else; secrets kept under a
/// top-level folder of one of those names are reached only by `**`. In a rule's path `*` matches
/// any characters within one segment and a `**` segment any number of segments, none included.
///
/// Evaluation is pure: ``Policy/decide(_:on:rules:)`` needs no I/O and is tested by table.
public struct Policy: Sendable, Equatable {
    /// The longest policy name.
    public static let maximumNameLength = 64
    /// The most rules one policy holds.
    public static let maximumRules = 256

    public let name: String
    public let rules: [PolicyRule]

    /// Validates the name and keeps the rules in the order given.
    public init(name: String, rules: [PolicyRule]) throws(VaultError) {
        try Policy.validateName(name)
        guard rules.count <= Policy.maximumRules else {
            throw VaultError(.invalidPolicy, "a policy holds at most \(Policy.maximumRules) rules")
        }
        self.name = name
        self.rules = rules
    }

    /// Policy names are 1 to 64 of `[a-z0-9._-]`, so they fit paths and comma-separated lists.
    public static func validateName(_ name: String) throws(VaultError) {
        let allowed = name.utf8.allSatisfy { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
        }
        guard allowed, (1...maximumNameLength).contains(name.utf8.count), name != ".", name != ".." else {
            throw VaultError(.invalidPolicy, "a policy name is 1 to \(maximumNameLength) of a-z, 0-9, '.', '_' and '-'")
        }
    }

    /// Whether `rules` grant `capability` on the resource path `path`.
    ///
    /// A matching rule holding `deny` refuses everything, whatever its specificity. Otherwise the
    /// matching rules with the longest literal prefix (the characters before the first `*`) decide;
    /// when several tie, their capabilities are united. No matching rule: denied.
    public static func decide(_ capability: Capability, on path: String, rules: [PolicyRule]) -> Bool {
        let segments = path.split(separator: "/", omittingEmptySubsequences: false).map { Array($0.utf8) }
        var best = -1
        var granted: Set<Capability> = []
        for rule in rules where rule.matches(segments) {
            if rule.capabilities.contains(.deny) { return false }
            if rule.literalPrefixLength > best {
                best = rule.literalPrefixLength
                granted = rule.capabilities
            } else if rule.literalPrefixLength == best {
                granted.formUnion(rule.capabilities)
            }
        }
        return capability != .deny && granted.contains(capability)
    }
}

/// One rule of a policy: a path glob and the capabilities it grants (or `deny`).
public struct PolicyRule: Sendable, Equatable {
    /// The glob as written.
    public let path: String
    public let capabilities: Set<Capability>
    /// Characters before the first `*`: the measure of how specific the rule is.
    let literalPrefixLength: Int
    private let segments: [[UInt8]]

    /// Validates the glob: path characters, `*` and `/`, no empty segment, `**` only as a whole segment.
    public init(path: String, capabilities: Set<Capability>) throws(VaultError) {
        guard !capabilities.isEmpty else {
            throw VaultError(.invalidPolicy, "the rule for '\(PolicyRule.shown(path))' grants no capability")
        }
        guard (1...SecretPath.maximumLength).contains(path.utf8.count) else {
            throw VaultError(.invalidPolicy, "a rule path is 1 to \(SecretPath.maximumLength) characters")
        }
        let split = path.split(separator: "/", omittingEmptySubsequences: false).map { Array($0.utf8) }
        for segment in split {
            guard !segment.isEmpty else {
                throw VaultError(.invalidPolicy, "the rule path '\(PolicyRule.shown(path))' has an empty segment")
            }
            let stars = segment.filter { $0 == UInt8(ascii: "*") }.count
            guard segment.allSatisfy({ SecretPath.isAllowed($0) || $0 == UInt8(ascii: "*") }),
                stars < 2 || segment == Array("**".utf8)
            else {
                throw VaultError(
                    .invalidPolicy,
                    "the rule path '\(PolicyRule.shown(path))' holds a character other than path characters, '*' and "
                        + "'/', or a '**' that is not a whole segment")
            }
        }
        self.path = path
        self.capabilities = capabilities
        self.segments = split
        self.literalPrefixLength =
            path.utf8.firstIndex(of: UInt8(ascii: "*")).map {
                path.utf8.distance(from: path.utf8.startIndex, to: $0)
            } ?? path.utf8.count
    }

    /// Whether the rule's glob matches every segment of a path.
    func matches(_ path: [[UInt8]]) -> Bool {
        PolicyRule.match(segments[...], path[...])
    }

    private static let doubleStar = Array("**".utf8)

    private static func match(_ pattern: ArraySlice<[UInt8]>, _ path: ArraySlice<[UInt8]>) -> Bool {
        guard let first = pattern.first else { return path.isEmpty }
        if first == doubleStar {
            // `**` takes zero or more segments; try each split. Patterns are short, so this stays cheap.
            var rest = path
            while true {
                if match(pattern.dropFirst(), rest) { return true }
                guard !rest.isEmpty else { return false }
                rest = rest.dropFirst()
            }
        }
        guard let segment = path.first, glob(first[...], segment[...]) else { return false }
        return match(pattern.dropFirst(), path.dropFirst())
    }

    /// `*` matches any run of characters inside one segment.
    private static func glob(_ pattern: ArraySlice<UInt8>, _ text: ArraySlice<UInt8>) -> Bool {
        guard let star = pattern.firstIndex(of: UInt8(ascii: "*")) else { return pattern.elementsEqual(text) }
        let head = pattern[..<star]
        let tail = pattern[(star + 1)...]
        guard text.starts(with: head), text.count >= head.count + tail.count else { return false }
        return text.suffix(tail.count).elementsEqual(tail)
    }

    private static func shown(_ text: String) -> String {
        String(text.unicodeScalars.filter { $0.value >= 0x20 && $0.value < 0x7f }.prefix(80).map(Character.init))
    }
}
