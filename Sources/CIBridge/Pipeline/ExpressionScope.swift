/// The values contexts resolve to while one job (one matrix combination) is compiled.
///
/// `matrix` is nil outside a matrix job and `env` is nil where `env` is not available (the
/// workflow-level `env` itself); both make a reference to them a `badReference` error.
struct ExpressionScope {
    let push: PushContext
    var matrix: [String: ExpressionValue]?
    /// Every key any combination of this job's matrix has; a key only some combinations have is null in the others.
    var matrixKeys: Set<String> = []
    var env: [String: String]?

    /// The value of `path` (such as `["github", "ref"]`); throws `badReference` at `location`.
    func value(of path: [String], at location: PipelineError.Location) throws(PipelineError) -> ExpressionValue {
        let dotted = path.joined(separator: ".")
        guard path.count == 2 else {
            throw PipelineError(
                .badReference, "unknown reference '\(dotted)'; use github.X, matrix.X or env.X", at: location)
        }
        switch path[0] {
        case "github":
            guard let value = githubValue(path[1]) else {
                let reason =
                    "unknown property '\(dotted)'; known: github.ref, github.branch, github.sha, "
                    + "github.commit, github.repository"
                throw PipelineError(.badReference, reason, at: location)
            }
            return .string(value)
        case "matrix":
            guard let matrix else {
                throw PipelineError(.badReference, "'\(dotted)' is used in a job without strategy.matrix", at: location)
            }
            if let value = matrix[path[1]] { return value }
            guard matrixKeys.contains(path[1]) else {
                let known = matrixKeys.sorted().joined(separator: ", ")
                throw PipelineError(
                    .badReference, "unknown matrix key '\(path[1])'; matrix keys: \(known)", at: location)
            }
            return .null
        case "env":
            guard let env else {
                throw PipelineError(.badReference, "'\(dotted)' is not available here", at: location)
            }
            guard let value = env[path[1]] else {
                throw PipelineError(.badReference, "'\(dotted)' is not defined in any env of this job", at: location)
            }
            return .string(value)
        default:
            let reason =
                "unknown context '\(path[0])' in '\(dotted)'; contexts: github, matrix, env "
                + "(secrets reach steps only as environment variables)"
            throw PipelineError(.badReference, reason, at: location)
        }
    }

    private func githubValue(_ name: String) -> String? {
        switch name {
        case "ref": push.ref
        case "branch": push.branch ?? ""
        case "sha", "commit": push.commit
        case "repository": push.repository
        default: nil
        }
    }
}

extension PipelineExpression {
    /// Replaces every context with its value in `scope`, then folds what no longer depends on outcomes.
    func resolved(in scope: ExpressionScope, at location: PipelineError.Location) throws(PipelineError)
        -> PipelineExpression
    {
        switch self {
        case .literal, .status:
            return self
        case .context(let path):
            return .literal(try scope.value(of: path, at: location))
        case .not(let operand):
            return .not(try operand.resolved(in: scope, at: location)).folded()
        case .and(let lhs, let rhs):
            return .and(try lhs.resolved(in: scope, at: location), try rhs.resolved(in: scope, at: location)).folded()
        case .or(let lhs, let rhs):
            return .or(try lhs.resolved(in: scope, at: location), try rhs.resolved(in: scope, at: location)).folded()
        case .equal(let lhs, let rhs):
            return .equal(try lhs.resolved(in: scope, at: location), try rhs.resolved(in: scope, at: location))
                .folded()
        case .notEqual(let lhs, let rhs):
            return .notEqual(try lhs.resolved(in: scope, at: location), try rhs.resolved(in: scope, at: location))
                .folded()
        }
    }

    /// Folds a node whose operands are known; `&&` and `||` also fold on a known left operand,
    /// keeping their value semantics (`a && b` is `a` when `a` is falsy, else `b`).
    private func folded() -> PipelineExpression {
        let constant = ConditionStatus(outcomes: [])
        switch self {
        case .and(.literal(let value), let rhs): return value.isTruthy ? rhs : .literal(value)
        case .or(.literal(let value), let rhs): return value.isTruthy ? .literal(value) : rhs
        default: break
        }
        return usesStatusFunction ? self : .literal(evaluate(constant))
    }
}
