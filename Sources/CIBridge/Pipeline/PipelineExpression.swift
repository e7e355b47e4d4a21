/// The syntax tree of an `if:` condition or a `${{ }}` expression.
///
/// Grammar (lowest precedence first; GitHub Actions syntax):
///
///     or       := and ('||' and)*
///     and      := equality ('&&' equality)*
///     equality := unary (('==' | '!=') unary)*
///     unary    := '!' unary | primary
///     primary  := literal | '(' or ')' | function '(' ')' | context
///     literal  := 'text' ('' escapes a quote) | number | true | false | null
///     function := success | failure | always | cancelled
///     context  := name ('.' name)+        e.g. github.ref, matrix.java, env.APP
///
/// Contexts: `github.ref` (`refs/heads/main`), `github.branch` (`main`, empty for a tag),
/// `github.sha` and its alias `github.commit`, `github.repository`, `matrix.<key>`, `env.<NAME>`.
/// The compiler replaces every context by its value and folds what no longer depends on job
/// outcomes, so a compiled condition holds only literals, status functions and operators; the
/// scheduler evaluates it with `evaluate(_:)`.
public indirect enum PipelineExpression: Sendable, Codable, Hashable {
    case literal(ExpressionValue)
    case context([String])
    case status(StatusFunction)
    case not(PipelineExpression)
    case and(PipelineExpression, PipelineExpression)
    case or(PipelineExpression, PipelineExpression)
    case equal(PipelineExpression, PipelineExpression)
    case notEqual(PipelineExpression, PipelineExpression)

    /// The functions that read how the job's needs (or a step's earlier steps) ended.
    public enum StatusFunction: String, Sendable, Codable, Hashable, CaseIterable {
        /// True when every need succeeded and the pipeline is not cancelled.
        case success
        /// True when some need failed.
        case failure
        /// Always true, even when the pipeline is cancelled.
        case always
        /// True when the pipeline was cancelled.
        case cancelled
    }

    /// Whether the tree calls a status function anywhere.
    public var usesStatusFunction: Bool {
        switch self {
        case .literal, .context: false
        case .status: true
        case .not(let operand): operand.usesStatusFunction
        case .and(let lhs, let rhs), .or(let lhs, let rhs), .equal(let lhs, let rhs), .notEqual(let lhs, let rhs):
            lhs.usesStatusFunction || rhs.usesStatusFunction
        }
    }

    /// Parses the text of an expression (without `${{ }}`); throws `badExpression` at `location`.
    public static func parse(
        _ text: String, at location: PipelineError.Location = .init(line: 1, column: 1)
    ) throws(PipelineError) -> PipelineExpression {
        var parser = ExpressionParser(text: text, location: location)
        return try parser.parseWhole()
    }
}
