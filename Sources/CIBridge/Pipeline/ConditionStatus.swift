/// What the status functions of a compiled condition read at run time.
///
/// For a job: how each of its `needs` ended and whether the pipeline was cancelled. For a step:
/// how each earlier step of the job ended (a step with `continue-on-error` that failed counts as
/// `success`) and whether the job was cancelled.
public struct ConditionStatus: Sendable, Equatable {
    /// How one earlier job or step ended, as the status functions see it.
    public enum Outcome: String, Sendable, Codable, Equatable {
        /// Finished successfully.
        case success
        /// Failed, timed out or errored.
        case failure
        /// Cancelled before finishing.
        case cancelled
        /// Never ran because its own condition was false.
        case skipped
    }

    /// The outcomes that `success()` and `failure()` look at.
    public var outcomes: [Outcome]
    /// Whether the pipeline (or job) has been cancelled.
    public var isCancelled: Bool

    /// Creates the input for one evaluation.
    public init(outcomes: [Outcome], isCancelled: Bool = false) {
        self.outcomes = outcomes
        self.isCancelled = isCancelled
    }
}

extension PipelineExpression {
    /// Evaluates a compiled condition; a context left in the tree (never produced by the compiler) is null.
    public func evaluate(_ status: ConditionStatus) -> ExpressionValue {
        switch self {
        case .literal(let value): value
        case .context: .null
        case .status(let function): .bool(function.evaluate(status))
        case .not(let operand): .bool(!operand.evaluate(status).isTruthy)
        case .and(let lhs, let rhs):
            lhs.evaluate(status).isTruthy ? rhs.evaluate(status) : lhs.evaluate(status)
        case .or(let lhs, let rhs):
            lhs.evaluate(status).isTruthy ? lhs.evaluate(status) : rhs.evaluate(status)
        case .equal(let lhs, let rhs): .bool(lhs.evaluate(status).looselyEquals(rhs.evaluate(status)))
        case .notEqual(let lhs, let rhs): .bool(!lhs.evaluate(status).looselyEquals(rhs.evaluate(status)))
        }
    }

    /// Whether the job or step should run given `status`.
    public func isSatisfied(by status: ConditionStatus) -> Bool {
        evaluate(status).isTruthy
    }
}

extension PipelineExpression.StatusFunction {
    /// GitHub's meaning: `success()` needs every outcome a success and no cancel; `failure()` any
    /// failure; `cancelled()` the cancel flag; `always()` true.
    func evaluate(_ status: ConditionStatus) -> Bool {
        switch self {
        case .success: !status.isCancelled && status.outcomes.allSatisfy { $0 == .success }
        case .failure: status.outcomes.contains(.failure)
        case .always: true
        case .cancelled: status.isCancelled
        }
    }
}
