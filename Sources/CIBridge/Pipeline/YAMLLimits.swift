/// Bounds on a YAML document, checked while it is read so that hostile input stays cheap.
///
/// Aliases are refused outright, which rules out exponential "billion laughs" expansion; these
/// bounds cap the rest: raw size, nesting depth and the number of nodes.
public struct YAMLLimits: Sendable, Equatable {
    /// The largest accepted file, in bytes.
    public var maximumBytes: Int
    /// The deepest accepted nesting of sequences and mappings.
    public var maximumDepth: Int
    /// The most nodes (scalars, sequences and mappings) in one document.
    public var maximumNodes: Int

    /// Creates limits.
    public init(maximumBytes: Int, maximumDepth: Int, maximumNodes: Int) {
        self.maximumBytes = maximumBytes
        self.maximumDepth = maximumDepth
        self.maximumNodes = maximumNodes
    }

    /// 512 KiB, depth 64, 50,000 nodes: far beyond any real pipeline file.
    public static let pipelineFile = YAMLLimits(maximumBytes: 512 * 1024, maximumDepth: 64, maximumNodes: 50_000)
}
