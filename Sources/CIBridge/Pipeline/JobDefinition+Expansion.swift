extension JobDefinition {
    /// Expands the job into one `CompiledJob` per matrix combination (one job without a matrix).
    ///
    /// `needs` is left as the job keys from the file; the compiler replaces them by expanded ids.
    func expand(push: PushContext, workflowEnv: [String: String], matrixLimit: Int) throws(PipelineError)
        -> [CompiledJob]
    {
        guard let matrix else {
            return [try compile(combination: nil, scope: ExpressionScope(push: push, env: workflowEnv))]
        }
        let combinations = try matrix.combinations(limit: matrixLimit)
        let keys = Set(combinations.flatMap(\.keys))
        var jobs: [CompiledJob] = []
        for combination in combinations {
            let scope = ExpressionScope(push: push, matrix: combination.values, matrixKeys: keys, env: workflowEnv)
            jobs.append(try compile(combination: combination, scope: scope))
        }
        return jobs
    }

    private func compile(combination: MatrixCombination?, scope workflowScope: ExpressionScope) throws(PipelineError)
        -> CompiledJob
    {
        var jobEnv = workflowScope.env ?? [:]
        for (key, template) in env { jobEnv[key] = try template.render(in: workflowScope) }
        var scope = workflowScope
        scope.env = jobEnv

        var labels: [String] = []
        for template in self.labels { labels.append(try template.render(in: scope)) }
        var steps: [CompiledStep] = []
        for step in self.steps { steps.append(try step.compile(in: scope)) }
        var artifacts: [ArtifactRule] = []
        for artifact in self.artifacts { artifacts.append(try artifact.compile(in: scope)) }

        return CompiledJob(
            id: combination.map { "\(id) (\($0.label))" } ?? id,
            group: id,
            displayName: try displayName(combination: combination, scope: scope),
            matrix: combination,
            labels: labels,
            needs: needs.map(\.id),
            env: jobEnv,
            secrets: Dictionary(secrets.map { ($0.name, $0.path) }) { _, last in last },
            steps: steps,
            artifacts: artifacts,
            timeoutSeconds: timeoutSeconds,
            continueOnError: try continueOnError.value(in: scope),
            failFast: failFast,
            maxParallel: maxParallel,
            condition: try condition.resolved(in: scope, at: conditionLocation),
            line: location.line)
    }

    /// `name:` after substitution; without one, GitHub's form: the key, then the values in parentheses.
    private func displayName(combination: MatrixCombination?, scope: ExpressionScope) throws(PipelineError) -> String {
        if let name { return try name.render(in: scope) }
        guard let combination else { return id }
        return "\(id) (\(combination.valueLabel))"
    }
}
