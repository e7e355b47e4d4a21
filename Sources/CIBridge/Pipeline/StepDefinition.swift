/// One entry of a job's `steps`, parsed but not yet substituted.
struct StepDefinition: Sendable {
    let name: TextTemplate?
    let run: TextTemplate
    let env: [(String, TextTemplate)]
    let timeoutSeconds: Int?
    let continueOnError: FlagDefinition
    let condition: PipelineExpression
    let location: PipelineError.Location

    /// Parses step number `index` (1-based) of job `jobID`.
    init(_ node: YAMLNode, index: Int, jobID: String) throws(PipelineError) {
        let what = "step \(index) of job '\(jobID)'"
        let mapping = try YAMLMapping(node, what, allowed: PipelineSyntax.stepKeys)
        guard let runNode = mapping["run"] else {
            let reason = "\(what) has no run; every step runs a shell command (uses: is not supported)"
            throw PipelineError(.stepWithoutRun, reason, at: node.location)
        }
        run = try TextTemplate(try runNode.text("run of \(what)"), at: runNode.location)
        if let nameNode = mapping["name"] {
            name = try TextTemplate(try nameNode.text("name of \(what)"), at: nameNode.location)
        } else {
            name = nil
        }
        env = try PipelineSyntax.environment(mapping["env"], what)
        timeoutSeconds = try mapping["timeout-minutes"].map { node throws(PipelineError) in
            try PipelineSyntax.timeoutSeconds(node, what)
        }
        continueOnError = try PipelineSyntax.flag(mapping["continue-on-error"])
        condition = try PipelineSyntax.condition(mapping["if"])
        location = node.location
    }

    /// The step for one combination; `scope.env` is the job's merged env.
    func compile(in jobScope: ExpressionScope) throws(PipelineError) -> CompiledStep {
        var stepEnv: [String: String] = [:]
        for (key, template) in env { stepEnv[key] = try template.render(in: jobScope) }
        var scope = jobScope
        scope.env = (jobScope.env ?? [:]).merging(stepEnv) { _, step in step }
        let script = try run.render(in: scope)
        let firstLine = script.split(separator: "\n", omittingEmptySubsequences: true).first.map(String.init) ?? ""
        return CompiledStep(
            name: try name?.render(in: scope) ?? "Run \(firstLine)",
            run: script,
            env: stepEnv,
            timeoutSeconds: timeoutSeconds,
            continueOnError: try continueOnError.value(in: scope),
            condition: try condition.resolved(in: scope, at: location))
    }
}
