/// A YAML mapping whose keys were checked against the keys the pipeline syntax allows there.
struct YAMLMapping {
    let pairs: [(key: String, keyLocation: PipelineError.Location, value: YAMLNode)]
    let location: PipelineError.Location

    /// Checks `node` is a mapping with only `allowed` keys; `what` names it in errors ("job 'build'").
    init(_ node: YAMLNode, _ what: String, allowed: [String]?) throws(PipelineError) {
        guard case .mapping(let pairs) = node.content else {
            throw PipelineError(.wrongType, "\(what) must be a mapping, not \(node.kindName)", at: node.location)
        }
        var checked: [(key: String, keyLocation: PipelineError.Location, value: YAMLNode)] = []
        for pair in pairs {
            guard case .scalar(let key, _) = pair.key.content else { continue }
            if let allowed, !allowed.contains(key) {
                let reason = "unknown key '\(key)' in \(what); allowed: \(allowed.joined(separator: ", "))"
                throw PipelineError(.unknownKey, reason, at: pair.key.location)
            }
            checked.append((key, pair.key.location, pair.value))
        }
        self.pairs = checked
        self.location = node.location
    }

    /// The value under `key`, or nil when the key is absent.
    subscript(key: String) -> YAMLNode? {
        pairs.first { $0.key == key }?.value
    }

    var isEmpty: Bool { pairs.isEmpty }
}
