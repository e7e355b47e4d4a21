/// Builds a `YAMLNode` tree from parse events while enforcing `YAMLLimits`.
///
/// Pure Swift, so that the rules (one document, no aliases, no tags, no duplicate keys, depth and
/// node bounds) are kept apart from the C reader and fail at the first offending event.
struct YAMLTreeBuilder {
    /// An open sequence or mapping; mutated in place on the stack so appends stay amortised O(1).
    private struct Frame {
        let isMapping: Bool
        let location: PipelineError.Location
        var items: [YAMLNode] = []
        var pairs: [YAMLNode.Pair] = []
        var keyLines: [String: Int] = [:]
        var pendingKey: YAMLNode?
    }

    private let limits: YAMLLimits
    private var stack: [Frame] = []
    private var nodeCount = 0
    private var documentCount = 0
    private(set) var root: YAMLNode?

    init(limits: YAMLLimits) {
        self.limits = limits
    }

    /// Takes one event; throws at the first event that breaks a rule or a limit.
    mutating func consume(_ event: YAMLEvent) throws(PipelineError) {
        switch event {
        case .streamStart, .documentEnd, .streamEnd:
            return
        case .documentStart(let location):
            documentCount += 1
            guard documentCount == 1 else {
                throw PipelineError(.yamlSyntax, "a pipeline file holds one YAML document, not several", at: location)
            }
        case .alias(let location):
            throw PipelineError(.yamlSyntax, "YAML aliases (*name) are not supported in pipeline files", at: location)
        case .scalar(let text, let style, let location, let hasTag):
            try refuseTag(hasTag, at: location)
            try count(at: location)
            try attach(YAMLNode(content: .scalar(text, style), location: location))
        case .sequenceStart(let location, let hasTag):
            try open(hasTag: hasTag, at: location)
            stack.append(Frame(isMapping: false, location: location))
        case .mappingStart(let location, let hasTag):
            try open(hasTag: hasTag, at: location)
            stack.append(Frame(isMapping: true, location: location))
        case .sequenceEnd, .mappingEnd:
            try close()
        }
    }

    private mutating func open(hasTag: Bool, at location: PipelineError.Location) throws(PipelineError) {
        try refuseTag(hasTag, at: location)
        try count(at: location)
        guard stack.count < limits.maximumDepth else {
            throw PipelineError(.yamlLimit, "the YAML nests deeper than \(limits.maximumDepth) levels", at: location)
        }
    }

    private mutating func count(at location: PipelineError.Location) throws(PipelineError) {
        nodeCount += 1
        guard nodeCount <= limits.maximumNodes else {
            throw PipelineError(.yamlLimit, "the YAML has more than \(limits.maximumNodes) nodes", at: location)
        }
    }

    private func refuseTag(_ hasTag: Bool, at location: PipelineError.Location) throws(PipelineError) {
        guard !hasTag else {
            throw PipelineError(.yamlSyntax, "YAML tags (!name) are not supported in pipeline files", at: location)
        }
    }

    private mutating func close() throws(PipelineError) {
        guard let frame = stack.popLast() else { return }
        let content: YAMLNode.Content = frame.isMapping ? .mapping(frame.pairs) : .sequence(frame.items)
        try attach(YAMLNode(content: content, location: frame.location))
    }

    private mutating func attach(_ node: YAMLNode) throws(PipelineError) {
        guard !stack.isEmpty else {
            root = node
            return
        }
        let top = stack.count - 1
        if !stack[top].isMapping {
            stack[top].items.append(node)
        } else if let key = stack[top].pendingKey {
            stack[top].pairs.append(YAMLNode.Pair(key: key, value: node))
            stack[top].pendingKey = nil
        } else {
            stack[top].keyLines[try key(node, notIn: stack[top].keyLines)] = node.location.line
            stack[top].pendingKey = node
        }
    }

    /// Keys must be scalars and unique: YAML says so, and libyaml leaves the check to us.
    private func key(_ node: YAMLNode, notIn keyLines: [String: Int]) throws(PipelineError) -> String {
        guard case .scalar(let text, _) = node.content else {
            throw PipelineError(.yamlSyntax, "a mapping key must be a scalar, not \(node.kindName)", at: node.location)
        }
        if let first = keyLines[text] {
            throw PipelineError(.yamlSyntax, "duplicate key '\(text)' (first at line \(first))", at: node.location)
        }
        return text
    }
}
