/// A string that may hold `${{ expression }}` parts, parsed once and rendered per matrix combination.
struct TextTemplate: Sendable, Equatable {
    private enum Part: Sendable, Equatable {
        case text(String)
        case expression(PipelineExpression)
    }

    private let parts: [Part]
    /// Where the string is in the pipeline file.
    let location: PipelineError.Location

    /// Parses `text`; throws `badExpression` for an unterminated `${{` or an expression that does not parse.
    init(
        _ text: String, at location: PipelineError.Location, allowsStatusFunctions: Bool = false
    ) throws(PipelineError) {
        var parts: [Part] = []
        var rest = Substring(text)
        while let open = rest.firstRange(of: "${{") {
            if open.lowerBound > rest.startIndex { parts.append(.text(String(rest[..<open.lowerBound]))) }
            guard let close = Self.closingBraces(in: rest[open.upperBound...]) else {
                throw PipelineError(.badExpression, "'${{' without a closing '}}' in '\(text)'", at: location)
            }
            let inner = String(rest[open.upperBound..<close.lowerBound])
            let expression = try PipelineExpression.parse(inner, at: location)
            guard allowsStatusFunctions || !expression.usesStatusFunction else {
                let reason = "status functions such as success() belong in if:, not in '${{\(inner)}}'"
                throw PipelineError(.badExpression, reason, at: location)
            }
            parts.append(.expression(expression))
            rest = rest[close.upperBound...]
        }
        if !rest.isEmpty { parts.append(.text(String(rest))) }
        self.parts = parts
        self.location = location
    }

    /// Whether the string has any `${{ }}` part.
    var hasExpressions: Bool { parts.contains { if case .expression = $0 { true } else { false } } }

    /// The single expression when the whole string is one `${{ }}`, such as `${{ matrix.experimental }}`.
    var soleExpression: PipelineExpression? {
        guard parts.count == 1, case .expression(let expression) = parts[0] else { return nil }
        return expression
    }

    /// Substitutes every expression with its text in `scope`.
    func render(in scope: ExpressionScope) throws(PipelineError) -> String {
        var output = ""
        for part in parts {
            switch part {
            case .text(let text): output += text
            case .expression(let expression):
                output += try expression.resolved(in: scope, at: location).evaluate(ConditionStatus(outcomes: [])).text
            }
        }
        return output
    }

    /// Finds the `}}` that ends an expression, skipping braces inside quoted string literals.
    private static func closingBraces(in text: Substring) -> Range<Substring.Index>? {
        var isQuoted = false
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            if character == "'" {
                isQuoted.toggle()
            } else if !isQuoted, character == "}", text[index...].hasPrefix("}}") {
                return index..<text.index(index, offsetBy: 2)
            }
            index = text.index(after: index)
        }
        return nil
    }
}
