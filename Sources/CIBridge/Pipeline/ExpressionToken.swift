/// One token of a pipeline expression, with its character offset for error messages.
struct ExpressionToken: Equatable {
    enum Kind: Equatable {
        case string(String)
        case number(Double)
        case name(String)
        case dot, comma, leftParen, rightParen, not, and, or, equal, notEqual
        case end
    }

    let kind: Kind
    let offset: Int

    /// Splits `text` into tokens; throws a reason and an offset on the first character it cannot read.
    static func tokenize(_ text: String) throws(ExpressionToken.Failure) -> [ExpressionToken] {
        let characters = Array(text)
        var tokens: [ExpressionToken] = []
        var index = 0
        while index < characters.count {
            let character = characters[index]
            if character.isWhitespace {
                index += 1
                continue
            }
            let start = index
            let kind: Kind
            if character == "'" {
                kind = .string(try readString(characters, &index))
            } else if character.isASCII, character.isNumber || (character == "-" && isDigit(characters, index + 1)) {
                kind = .number(try readNumber(characters, &index))
            } else if character.isASCII, character.isLetter || character == "_" {
                kind = .name(readName(characters, &index))
            } else {
                kind = try readOperator(characters, &index)
            }
            tokens.append(ExpressionToken(kind: kind, offset: start))
        }
        tokens.append(ExpressionToken(kind: .end, offset: characters.count))
        return tokens
    }

    /// A tokenizer failure: what and where (a character offset).
    struct Failure: Error {
        let reason: String
        let offset: Int
    }

    private static func isDigit(_ characters: [Character], _ index: Int) -> Bool {
        index < characters.count && characters[index].isASCII && characters[index].isNumber
    }

    private static func readString(_ characters: [Character], _ index: inout Int) throws(Failure) -> String {
        let start = index
        var value = ""
        index += 1
        while index < characters.count {
            if characters[index] == "'" {
                if index + 1 < characters.count, characters[index + 1] == "'" {
                    value.append("'")
                    index += 2
                    continue
                }
                index += 1
                return value
            }
            value.append(characters[index])
            index += 1
        }
        throw Failure(reason: "unterminated string literal", offset: start)
    }

    private static func readNumber(_ characters: [Character], _ index: inout Int) throws(Failure) -> Double {
        let start = index
        index += 1
        while index < characters.count, characters[index].isASCII,
            characters[index].isLetter || characters[index].isNumber || characters[index] == "."
                || ((characters[index] == "+" || characters[index] == "-") && "eE".contains(characters[index - 1]))
        {
            index += 1
        }
        let text = String(characters[start..<index])
        guard let value = ExpressionValue.parseNumber(text) else {
            throw Failure(reason: "'\(text)' is not a number", offset: start)
        }
        return value
    }

    private static func readName(_ characters: [Character], _ index: inout Int) -> String {
        let start = index
        while index < characters.count, characters[index].isASCII,
            characters[index].isLetter || characters[index].isNumber || characters[index] == "_"
                || characters[index] == "-"
        {
            index += 1
        }
        return String(characters[start..<index])
    }

    private static func readOperator(_ characters: [Character], _ index: inout Int) throws(Failure) -> Kind {
        let next: Character? = index + 1 < characters.count ? characters[index + 1] : nil
        let pairs: [(Character, Character?, Kind)] = [
            ("&", "&", .and), ("|", "|", .or), ("=", "=", .equal), ("!", "=", .notEqual),
            ("!", nil, .not), (".", nil, .dot), (",", nil, .comma), ("(", nil, .leftParen), (")", nil, .rightParen),
        ]
        for (first, second, kind) in pairs where characters[index] == first {
            if let second {
                guard next == second else { continue }
                index += 2
            } else {
                index += 1
            }
            return kind
        }
        throw Failure(reason: "unexpected character '\(characters[index])'", offset: index)
    }
}
