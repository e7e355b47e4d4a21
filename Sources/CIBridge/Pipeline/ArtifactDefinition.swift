import Timekeeping

/// One entry of a job's `artifacts`, parsed but not yet substituted.
struct ArtifactDefinition: Sendable {
    let path: TextTemplate
    let name: TextTemplate?
    let expiresInSeconds: Int64?

    /// Parses an `artifacts` entry of job `jobID`.
    init(_ node: YAMLNode, jobID: String) throws(PipelineError) {
        let what = "an artifacts entry of job '\(jobID)'"
        let mapping = try YAMLMapping(node, what, allowed: PipelineSyntax.artifactKeys)
        guard let pathNode = mapping["path"] else {
            throw PipelineError(.missingKey, "\(what) has no path", at: node.location)
        }
        let pathText = try pathNode.text("path of \(what)")
        let segments = pathText.split(separator: "/")
        guard !pathText.hasPrefix("/"), !segments.contains(".."), !segments.isEmpty else {
            let reason = "artifact path '\(pathText)' must be relative to the workspace, without '..'"
            throw PipelineError(.invalidValue, reason, at: pathNode.location)
        }
        path = try TextTemplate(pathText, at: pathNode.location)
        if let nameNode = mapping["name"] {
            name = try TextTemplate(try nameNode.text("name of \(what)"), at: nameNode.location)
        } else {
            name = nil
        }
        if let expiryNode = mapping["expires-in"] {
            let text = try expiryNode.text("expires-in of \(what)")
            guard let seconds = DurationParsing.seconds(from: text) else {
                let reason = "expires-in '\(text)' is not a duration such as 90s, 15m, 2h or 7d"
                throw PipelineError(.invalidDuration, reason, at: expiryNode.location)
            }
            expiresInSeconds = seconds
        } else {
            expiresInSeconds = nil
        }
    }

    /// The rule for one combination; the path is checked again once substituted.
    func compile(in scope: ExpressionScope) throws(PipelineError) -> ArtifactRule {
        let rendered = try path.render(in: scope)
        let segments = rendered.split(separator: "/")
        guard !rendered.hasPrefix("/"), !segments.contains(".."), !segments.isEmpty else {
            let reason = "artifact path '\(rendered)' must be relative to the workspace, without '..'"
            throw PipelineError(.invalidValue, reason, at: path.location)
        }
        return ArtifactRule(path: rendered, name: try name?.render(in: scope), expiresInSeconds: expiresInSeconds)
    }
}
