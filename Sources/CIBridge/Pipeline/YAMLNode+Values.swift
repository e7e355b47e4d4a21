extension YAMLNode {
    /// The scalar's text as written, for any non-null scalar; `what` names the value in errors.
    func text(_ what: String) throws(PipelineError) -> String {
        guard case .scalar(let text, _) = content, !isNull else {
            throw PipelineError(.wrongType, "\(what) must be text, not \(kindName)", at: location)
        }
        return text
    }

    /// A plain `true` or `false`; a quoted `"true"` is text and refused.
    func bool(_ what: String) throws(PipelineError) -> Bool {
        guard case .bool(let value) = scalarValue else {
            throw PipelineError(.wrongType, "\(what) must be true or false, not \(typeName)", at: location)
        }
        return value
    }

    /// A positive whole number.
    func positiveInteger(_ what: String) throws(PipelineError) -> Int {
        guard case .number(let value) = scalarValue, value >= 1, value <= 1_000_000, value == value.rounded() else {
            throw PipelineError(.wrongType, "\(what) must be a positive whole number, not \(typeName)", at: location)
        }
        return Int(value)
    }

    /// The items of a sequence.
    func sequence(_ what: String) throws(PipelineError) -> [YAMLNode] {
        guard case .sequence(let items) = content else {
            throw PipelineError(.wrongType, "\(what) must be a list, not \(kindName)", at: location)
        }
        return items
    }

    /// One text or a list of texts (`needs: build` or `needs: [build, lint]`), each with its node.
    func textList(_ what: String) throws(PipelineError) -> [(text: String, location: PipelineError.Location)] {
        let items: [YAMLNode]
        if case .sequence(let list) = content { items = list } else { items = [self] }
        var texts: [(text: String, location: PipelineError.Location)] = []
        for item in items {
            texts.append((try item.text("each entry of \(what)"), item.location))
        }
        return texts
    }

    /// The scalar resolved by the YAML 1.2 core schema; nil for a sequence or mapping.
    ///
    /// Only plain scalars become null, booleans or numbers: a quoted `"true"` stays a string.
    var scalarValue: ExpressionValue? {
        guard case .scalar(let text, let style) = content else { return nil }
        guard style == .plain else { return .string(text) }
        if isNull { return .null }
        switch text {
        case "true", "True", "TRUE": return .bool(true)
        case "false", "False", "FALSE": return .bool(false)
        default: break
        }
        let isNumeric = text.allSatisfy { $0.isASCII && ($0.isNumber || "+-.eE".contains($0)) }
        if isNumeric, text.contains(where: \.isNumber), let value = Double(text), value.isFinite {
            return .number(value)
        }
        if text.hasPrefix("0x"), let value = Int64(text.dropFirst(2), radix: 16) { return .number(Double(value)) }
        return .string(text)
    }

    /// The type as people name it: "the text 'x'", "a boolean", "a list".
    var typeName: String {
        switch scalarValue {
        case .none: kindName
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string(let text): "the text '\(text.count > 40 ? text.prefix(40) + "…" : text)'"
        }
    }
}
