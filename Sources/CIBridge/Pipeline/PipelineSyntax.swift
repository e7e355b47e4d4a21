/// The keys each part of a pipeline file allows, and the readers for values used in several places.
enum PipelineSyntax {
    static let workflowKeys = ["name", "on", "env", "jobs"]
    static let triggerKeys = ["push"]
    static let pushKeys = ["branches", "branches-ignore"]
    static let jobKeys = [
        "name", "runs-on", "needs", "if", "strategy", "timeout-minutes", "continue-on-error", "env", "secrets",
        "artifacts", "steps",
    ]
    static let strategyKeys = ["matrix", "fail-fast", "max-parallel"]
    static let stepKeys = ["name", "run", "if", "env", "timeout-minutes", "continue-on-error"]
    static let artifactKeys = ["path", "name", "expires-in"]

    /// The longest accepted `timeout-minutes`: seven days.
    static let maximumTimeoutMinutes = 10_080.0
    /// GitHub's default job timeout, 360 minutes.
    static let defaultJobTimeoutSeconds = 360 * 60

    /// `timeout-minutes`: a positive number of minutes, returned in whole seconds (rounded up).
    static func timeoutSeconds(_ node: YAMLNode, _ what: String) throws(PipelineError) -> Int {
        guard case .number(let minutes) = node.scalarValue, minutes > 0, minutes <= maximumTimeoutMinutes else {
            let reason =
                "\(what) timeout-minutes must be a positive number of minutes up to "
                + "\(Int(maximumTimeoutMinutes)), not \(node.typeName)"
            throw PipelineError(.invalidDuration, reason, at: node.location)
        }
        return Int((minutes * 60).rounded(.up))
    }

    /// An `if:` value: `expr`, `${{ expr }}`, or a plain boolean. Without a status function the
    /// condition means `success() && (expr)`, as in GitHub Actions; absent, it is `success()`.
    static func condition(_ node: YAMLNode?) throws(PipelineError) -> PipelineExpression {
        guard let node else { return .status(.success) }
        let expression: PipelineExpression
        switch node.scalarValue {
        case .bool, .number:
            expression = .literal(node.scalarValue ?? .null)
        case .string(let text):
            expression = try conditionText(text, at: node.location)
        default:
            throw PipelineError(.wrongType, "if must be an expression, not \(node.typeName)", at: node.location)
        }
        return expression.usesStatusFunction ? expression : .and(.status(.success), expression)
    }

    private static func conditionText(_ text: String, at location: PipelineError.Location) throws(PipelineError)
        -> PipelineExpression
    {
        let template = try TextTemplate(text.trimmingWhitespace(), at: location, allowsStatusFunctions: true)
        if let sole = template.soleExpression { return sole }
        guard !template.hasExpressions else {
            let reason = "if '\(text)' mixes text and ${{ }}; write the whole condition inside one ${{ }} or none"
            throw PipelineError(.badExpression, reason, at: location)
        }
        return try PipelineExpression.parse(text, at: location)
    }

    /// `continue-on-error`: a plain boolean, or a `${{ }}` expression resolved per matrix combination.
    static func flag(_ node: YAMLNode?) throws(PipelineError) -> FlagDefinition {
        guard let node else { return .constant(false) }
        if case .bool(let value) = node.scalarValue { return .constant(value) }
        if case .string(let text) = node.scalarValue,
            let sole = try TextTemplate(text.trimmingWhitespace(), at: node.location).soleExpression
        {
            return .expression(sole, node.location)
        }
        let reason = "continue-on-error must be true, false or a ${{ }} expression, not \(node.typeName)"
        throw PipelineError(.wrongType, reason, at: node.location)
    }

    /// An `env` mapping: variable names to text templates, in file order.
    static func environment(_ node: YAMLNode?, _ what: String) throws(PipelineError) -> [(String, TextTemplate)] {
        guard let node else { return [] }
        let mapping = try YAMLMapping(node, "\(what) env", allowed: nil)
        var entries: [(String, TextTemplate)] = []
        for pair in mapping.pairs {
            try checkVariableName(pair.key, at: pair.keyLocation)
            guard case .scalar(let text, _) = pair.value.content else {
                let reason = "env \(pair.key) must be text, not \(pair.value.kindName)"
                throw PipelineError(.wrongType, reason, at: pair.value.location)
            }
            entries.append((pair.key, try TextTemplate(pair.value.isNull ? "" : text, at: pair.value.location)))
        }
        return entries
    }

    /// An environment variable name: `[A-Za-z_][A-Za-z0-9_]*`.
    static func checkVariableName(_ name: String, at location: PipelineError.Location) throws(PipelineError) {
        guard isIdentifier(name, allowsDash: false) else {
            let reason =
                "'\(name)' is not a valid environment variable name (letters, digits and '_', "
                + "not starting with a digit)"
            throw PipelineError(.invalidValue, reason, at: location)
        }
    }

    /// Whether `text` is `[A-Za-z_][A-Za-z0-9_]*`, with `-` also allowed after the first when asked.
    static func isIdentifier(_ text: String, allowsDash: Bool) -> Bool {
        guard let first = text.unicodeScalars.first, first.isASCIILetter || first == "_" else { return false }
        return text.unicodeScalars.allSatisfy {
            $0.isASCIILetter || ("0"..."9").contains($0) || $0 == "_" || (allowsDash && $0 == "-")
        }
    }

    /// A secret path: segments of `[A-Za-z0-9._-]` joined by `/`, none empty, `.` or `..`, at most 256 bytes.
    static func checkSecretPath(_ path: String, at location: PipelineError.Location) throws(PipelineError) {
        let segments = path.split(separator: "/", omittingEmptySubsequences: false)
        let isValid =
            !path.isEmpty && path.utf8.count <= 256
            && segments.allSatisfy { segment in
                !segment.isEmpty && segment != "." && segment != ".."
                    && segment.unicodeScalars.allSatisfy {
                        $0.isASCIILetter || ("0"..."9").contains($0) || "._-".unicodeScalars.contains($0)
                    }
            }
        guard isValid else {
            let reason =
                "'\(path)' is not a valid secret path: segments of letters, digits, '.', '_' and '-' "
                + "joined by '/', none empty, '.' or '..'"
            throw PipelineError(.invalidSecretPath, reason, at: location)
        }
    }
}

/// A `continue-on-error` value before matrix expansion.
enum FlagDefinition: Sendable, Equatable {
    case constant(Bool)
    case expression(PipelineExpression, PipelineError.Location)

    /// The flag's value for one combination.
    func value(in scope: ExpressionScope) throws(PipelineError) -> Bool {
        switch self {
        case .constant(let value): value
        case .expression(let expression, let location):
            try expression.resolved(in: scope, at: location).evaluate(ConditionStatus(outcomes: [])).isTruthy
        }
    }
}

extension Unicode.Scalar {
    var isASCIILetter: Bool { ("a"..."z").contains(self) || ("A"..."Z").contains(self) }
}
