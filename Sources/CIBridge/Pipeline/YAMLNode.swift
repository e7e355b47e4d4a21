/// One node of a loaded YAML document: a scalar, a sequence or a mapping, with its position.
///
/// The tree keeps what the pipeline compiler needs and nothing more: positions for error lines and
/// the scalar style, so that a quoted `"true"` stays text while a plain `true` is a boolean.
struct YAMLNode: Sendable, Equatable {
    /// How a scalar was written.
    enum ScalarStyle: Sendable, Equatable {
        case plain, singleQuoted, doubleQuoted, literal, folded
    }

    /// One key and its value, in document order.
    struct Pair: Sendable, Equatable {
        let key: YAMLNode
        let value: YAMLNode
    }

    /// The node's kind and content.
    enum Content: Sendable, Equatable {
        case scalar(String, ScalarStyle)
        case sequence([YAMLNode])
        case mapping([Pair])
    }

    let content: Content
    let location: PipelineError.Location

    /// The kind as people name it in error messages.
    var kindName: String {
        switch content {
        case .scalar: isNull ? "null" : "a scalar"
        case .sequence: "a list"
        case .mapping: "a mapping"
        }
    }

    /// Whether the node is a plain `null`, `~` or empty scalar (YAML 1.2 core schema).
    var isNull: Bool {
        guard case .scalar(let text, .plain) = content else { return false }
        return text.isEmpty || text == "~" || text == "null" || text == "Null" || text == "NULL"
    }
}
