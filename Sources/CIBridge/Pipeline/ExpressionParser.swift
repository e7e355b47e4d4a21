/// A recursive-descent parser for the grammar documented on `PipelineExpression`.
struct ExpressionParser {
    /// Longest accepted expression, in characters, and deepest nesting of parentheses and `!`.
    static let maximumLength = 4_096
    static let maximumDepth = 32

    private let text: String
    private let location: PipelineError.Location
    private var tokens: [ExpressionToken] = []
    private var position = 0
    private var depth = 0

    init(text: String, location: PipelineError.Location) {
        self.text = text
        self.location = location
    }

    /// Parses the whole text; anything left over is an error.
    mutating func parseWhole() throws(PipelineError) -> PipelineExpression {
        guard text.count <= Self.maximumLength else {
            throw failure("the expression is longer than \(Self.maximumLength) characters", at: 0)
        }
        do {
            tokens = try ExpressionToken.tokenize(text)
        } catch {
            throw failure(error.reason, at: error.offset)
        }
        guard tokens.count > 1 else { throw failure("the expression is empty", at: 0) }
        let expression = try parseOr()
        guard current.kind == .end else { throw unexpected() }
        return expression
    }

    private var current: ExpressionToken { tokens[position] }

    private mutating func advance() { position = min(position + 1, tokens.count - 1) }

    private mutating func parseOr() throws(PipelineError) -> PipelineExpression {
        var expression = try parseAnd()
        while current.kind == .or {
            advance()
            expression = .or(expression, try parseAnd())
        }
        return expression
    }

    private mutating func parseAnd() throws(PipelineError) -> PipelineExpression {
        var expression = try parseEquality()
        while current.kind == .and {
            advance()
            expression = .and(expression, try parseEquality())
        }
        return expression
    }

    private mutating func parseEquality() throws(PipelineError) -> PipelineExpression {
        var expression = try parseUnary()
        while current.kind == .equal || current.kind == .notEqual {
            let isEqual = current.kind == .equal
            advance()
            let rhs = try parseUnary()
            expression = isEqual ? .equal(expression, rhs) : .notEqual(expression, rhs)
        }
        return expression
    }

    private mutating func parseUnary() throws(PipelineError) -> PipelineExpression {
        guard current.kind == .not else { return try parsePrimary() }
        advance()
        try descend()
        defer { depth -= 1 }
        return .not(try parseUnary())
    }

    private mutating func parsePrimary() throws(PipelineError) -> PipelineExpression {
        let token = current
        switch token.kind {
        case .string(let value):
            advance()
            return .literal(.string(value))
        case .number(let value):
            advance()
            return .literal(.number(value))
        case .leftParen:
            advance()
            try descend()
            defer { depth -= 1 }
            let inner = try parseOr()
            guard current.kind == .rightParen else { throw unexpected(expecting: "')'") }
            advance()
            return inner
        case .name(let name):
            advance()
            return try parseName(name, at: token.offset)
        default:
            throw unexpected()
        }
    }

    private mutating func parseName(_ name: String, at offset: Int) throws(PipelineError) -> PipelineExpression {
        switch name {
        case "true": return .literal(.bool(true))
        case "false": return .literal(.bool(false))
        case "null": return .literal(.null)
        default: break
        }
        if current.kind == .leftParen {
            guard let function = PipelineExpression.StatusFunction(rawValue: name) else {
                let known = PipelineExpression.StatusFunction.allCases.map { "\($0.rawValue)()" }
                throw failure("unknown function '\(name)'; known: \(known.joined(separator: ", "))", at: offset)
            }
            advance()
            guard current.kind == .rightParen else {
                throw unexpected(expecting: "')' (status functions take no arguments)")
            }
            advance()
            return .status(function)
        }
        var path = [name]
        while current.kind == .dot {
            advance()
            guard case .name(let part) = current.kind else { throw unexpected(expecting: "a property name") }
            path.append(part)
            advance()
        }
        guard path.count > 1 else {
            throw failure("'\(name)' is neither a literal nor a context such as github.ref", at: offset)
        }
        return .context(path)
    }

    private mutating func descend() throws(PipelineError) {
        depth += 1
        guard depth <= Self.maximumDepth else {
            throw failure("the expression nests deeper than \(Self.maximumDepth) levels", at: current.offset)
        }
    }

    private func unexpected(expecting: String? = nil) -> PipelineError {
        let found = current.kind == .end ? "the end" : "'\(Self.spelling(current.kind))'"
        let reason = expecting.map { "expected \($0) but found \(found)" } ?? "unexpected \(found)"
        return failure(reason, at: current.offset)
    }

    private func failure(_ reason: String, at offset: Int) -> PipelineError {
        PipelineError(.badExpression, "bad expression '\(text)': \(reason) at character \(offset + 1)", at: location)
    }

    private static func spelling(_ kind: ExpressionToken.Kind) -> String {
        switch kind {
        case .string(let value): "'\(value)'"
        case .number(let value): ExpressionValue.format(value)
        case .name(let name): name
        case .dot: "."
        case .comma: ","
        case .leftParen: "("
        case .rightParen: ")"
        case .not: "!"
        case .and: "&&"
        case .or: "||"
        case .equal: "=="
        case .notEqual: "!="
        case .end: "end"
        }
    }
}
