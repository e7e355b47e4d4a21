/// One entry of `jobs`, parsed and checked but not yet expanded by its matrix.
struct JobDefinition: Sendable {
    let id: String
    let location: PipelineError.Location
    let name: TextTemplate?
    let labels: [TextTemplate]
    let needs: [(id: String, location: PipelineError.Location)]
    let matrix: MatrixDefinition?
    let failFast: Bool
    let maxParallel: Int?
    let timeoutSeconds: Int
    let continueOnError: FlagDefinition
    let condition: PipelineExpression
    let conditionLocation: PipelineError.Location
    let env: [(String, TextTemplate)]
    let secrets: [(name: String, path: String)]
    let artifacts: [ArtifactDefinition]
    let steps: [StepDefinition]

    /// Parses the job under key `id`.
    init(id: String, keyLocation: PipelineError.Location, node: YAMLNode) throws(PipelineError) {
        guard PipelineSyntax.isIdentifier(id, allowsDash: true) else {
            let reason = "job id '\(id)' must start with a letter or '_' and hold only letters, digits, '-' and '_'"
            throw PipelineError(.invalidValue, reason, at: keyLocation)
        }
        let what = "job '\(id)'"
        let mapping = try YAMLMapping(node, what, allowed: PipelineSyntax.jobKeys)
        self.id = id
        location = keyLocation
        if let nameNode = mapping["name"] {
            name = try TextTemplate(try nameNode.text("name of \(what)"), at: nameNode.location)
        } else {
            name = nil
        }
        var labels: [TextTemplate] = []
        for label in try mapping["runs-on"]?.textList("runs-on of \(what)") ?? [] {
            labels.append(try TextTemplate(label.text, at: label.location))
        }
        self.labels = labels
        needs = try mapping["needs"]?.textList("needs of \(what)").map { ($0.text, $0.location) } ?? []
        let strategy = try mapping["strategy"].map { node throws(PipelineError) in
            try YAMLMapping(node, "strategy of \(what)", allowed: PipelineSyntax.strategyKeys)
        }
        matrix = try strategy?["matrix"].map { node throws(PipelineError) in try Self.matrix(node, what) }
        failFast = try strategy?["fail-fast"]?.bool("fail-fast of \(what)") ?? true
        maxParallel = try strategy?["max-parallel"]?.positiveInteger("max-parallel of \(what)")
        timeoutSeconds =
            try mapping["timeout-minutes"].map { node throws(PipelineError) in
                try PipelineSyntax.timeoutSeconds(node, what)
            } ?? PipelineSyntax.defaultJobTimeoutSeconds
        continueOnError = try PipelineSyntax.flag(mapping["continue-on-error"])
        condition = try PipelineSyntax.condition(mapping["if"])
        conditionLocation = mapping["if"]?.location ?? keyLocation
        env = try PipelineSyntax.environment(mapping["env"], what)
        secrets = try Self.secrets(mapping["secrets"], what)
        artifacts =
            try mapping["artifacts"].map { node throws(PipelineError) in
                try node.sequence("artifacts of \(what)").map { item throws(PipelineError) in
                    try ArtifactDefinition(item, jobID: id)
                }
            } ?? []
        guard let stepsNode = mapping["steps"] else {
            throw PipelineError(.emptyJobs, "\(what) has no steps", at: keyLocation)
        }
        let stepNodes = try stepsNode.sequence("steps of \(what)")
        guard !stepNodes.isEmpty else {
            throw PipelineError(.emptyJobs, "\(what) has an empty steps list", at: stepsNode.location)
        }
        var steps: [StepDefinition] = []
        for (index, stepNode) in stepNodes.enumerated() {
            steps.append(try StepDefinition(stepNode, index: index + 1, jobID: id))
        }
        self.steps = steps
    }

    private static func secrets(_ node: YAMLNode?, _ what: String) throws(PipelineError) -> [(
        name: String, path: String
    )] {
        guard let node else { return [] }
        let mapping = try YAMLMapping(node, "secrets of \(what)", allowed: nil)
        var secrets: [(name: String, path: String)] = []
        for pair in mapping.pairs {
            try PipelineSyntax.checkVariableName(pair.key, at: pair.keyLocation)
            let path = try pair.value.text("secret path of \(pair.key)")
            try PipelineSyntax.checkSecretPath(path, at: pair.value.location)
            secrets.append((pair.key, path))
        }
        return secrets
    }

    private static func matrix(_ node: YAMLNode, _ what: String) throws(PipelineError) -> MatrixDefinition {
        let mapping = try YAMLMapping(node, "matrix of \(what)", allowed: nil)
        var dimensions: [MatrixDefinition.Dimension] = []
        var include: [MatrixDefinition.Entry] = []
        var exclude: [MatrixDefinition.Entry] = []
        for pair in mapping.pairs {
            switch pair.key {
            case "include": include = try entries(pair.value, "include of \(what)")
            case "exclude": exclude = try entries(pair.value, "exclude of \(what)")
            default:
                let items = try pair.value.sequence("matrix key '\(pair.key)' of \(what)")
                guard !items.isEmpty else {
                    let reason = "matrix key '\(pair.key)' of \(what) has no values"
                    throw PipelineError(.emptyMatrix, reason, at: pair.value.location)
                }
                var values: [ExpressionValue] = []
                for item in items { values.append(try scalar(item, "a value of matrix key '\(pair.key)'")) }
                dimensions.append(.init(key: pair.key, values: values, location: pair.keyLocation))
            }
        }
        guard !dimensions.isEmpty || !include.isEmpty else {
            throw PipelineError(.emptyMatrix, "the matrix of \(what) defines no values", at: node.location)
        }
        return MatrixDefinition(dimensions: dimensions, exclude: exclude, include: include, location: node.location)
    }

    private static func entries(_ node: YAMLNode, _ what: String) throws(PipelineError) -> [MatrixDefinition.Entry] {
        var entries: [MatrixDefinition.Entry] = []
        for item in try node.sequence(what) {
            let mapping = try YAMLMapping(item, "an entry of \(what)", allowed: nil)
            var pairs: [(String, ExpressionValue)] = []
            for pair in mapping.pairs { pairs.append((pair.key, try scalar(pair.value, "matrix key '\(pair.key)'"))) }
            entries.append(.init(pairs: pairs, location: item.location))
        }
        return entries
    }

    /// Matrix values are scalars; GitHub's object values are not supported.
    private static func scalar(_ node: YAMLNode, _ what: String) throws(PipelineError) -> ExpressionValue {
        guard let value = node.scalarValue, value != .null else {
            throw PipelineError(
                .wrongType, "\(what) must be text, a number or a boolean, not \(node.kindName)", at: node.location)
        }
        return value
    }
}
