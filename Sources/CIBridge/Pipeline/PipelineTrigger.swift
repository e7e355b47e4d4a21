/// The `on:` section: which pushes start the pipeline.
///
/// Accepted forms: `on: push`, `on: [push]`, `on: { push: null }`, and
/// `on: { push: { branches: [...], branches-ignore: [...] } }`. Without `on`, every push triggers.
/// With a branch filter, a push of a ref that is not a branch (a tag) does not trigger.
struct PipelineTrigger {
    private let branches: BranchFilter?
    private let ignoredBranches: BranchFilter?

    /// Parses the `on` value; nil means every push.
    init(_ node: YAMLNode?) throws(PipelineError) {
        guard let node else {
            (branches, ignoredBranches) = (nil, nil)
            return
        }
        switch node.content {
        case .scalar, .sequence:
            for event in try node.textList("on") where event.text != "push" {
                let reason = "unknown event '\(event.text)' in on; allowed: \(PipelineSyntax.triggerKeys.joined())"
                throw PipelineError(.unknownKey, reason, at: event.location)
            }
            (branches, ignoredBranches) = (nil, nil)
        case .mapping:
            let events = try YAMLMapping(node, "on", allowed: PipelineSyntax.triggerKeys)
            guard let push = events["push"], !push.isNull else {
                (branches, ignoredBranches) = (nil, nil)
                return
            }
            let filters = try YAMLMapping(push, "on.push", allowed: PipelineSyntax.pushKeys)
            branches = try filters["branches"].map { node throws(PipelineError) in
                try BranchFilter(node.textList("on.push.branches"))
            }
            ignoredBranches = try filters["branches-ignore"].map { node throws(PipelineError) in
                try BranchFilter(node.textList("on.push.branches-ignore"))
            }
        }
    }

    /// Nil when `push` triggers the pipeline, else the reason it does not.
    func reasonNotTriggered(by push: PushContext) -> String? {
        guard !push.isManual, branches != nil || ignoredBranches != nil else { return nil }
        guard let branch = push.branch else {
            return "ref '\(push.ref)' is not a branch and on.push filters branches"
        }
        if let branches, !branches.matches(branch) {
            return "branch '\(branch)' does not match on.push.branches"
        }
        if let ignoredBranches, ignoredBranches.matches(branch) {
            return "branch '\(branch)' matches on.push.branches-ignore"
        }
        return nil
    }
}
