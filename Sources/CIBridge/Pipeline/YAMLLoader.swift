import CYAML

/// Loads one YAML document into a `YAMLNode` tree through libyaml's event API.
///
/// The only file of the compiler that touches C. The parser and the copy of the input it reads are
/// owned by this class and released in `deinit`; each event is deleted right after it is translated.
final class YAMLLoader {
    private let parser: UnsafeMutablePointer<yaml_parser_t>
    private let input: UnsafeMutableBufferPointer<UInt8>
    private let isInitialized: Bool

    private init(bytes: [UInt8]) {
        parser = .allocate(capacity: 1)
        input = .allocate(capacity: max(bytes.count, 1))
        _ = input.initialize(from: bytes)
        isInitialized = yaml_parser_initialize(parser) == 1
        if isInitialized {
            yaml_parser_set_encoding(parser, YAML_UTF8_ENCODING)
            yaml_parser_set_input_string(parser, input.baseAddress, bytes.count)
        }
    }

    deinit {
        if isInitialized {
            yaml_parser_delete(parser)
        }
        parser.deallocate()
        input.deallocate()
    }

    /// Parses `bytes` as one YAML document; throws `yamlSyntax` or `yamlLimit` with the position.
    static func load(_ bytes: [UInt8], limits: YAMLLimits) throws(PipelineError) -> YAMLNode {
        let start = PipelineError.Location(line: 1, column: 1)
        guard bytes.count <= limits.maximumBytes else {
            throw PipelineError(.yamlLimit, "the file is larger than \(limits.maximumBytes) bytes", at: start)
        }
        let loader = YAMLLoader(bytes: bytes)
        guard loader.isInitialized else {
            throw PipelineError(.yamlLimit, "the YAML parser could not be created (out of memory)", at: start)
        }
        var builder = YAMLTreeBuilder(limits: limits)
        while true {
            let event = try loader.nextEvent()
            try builder.consume(event)
            if event == .streamEnd { break }
        }
        guard let root = builder.root else {
            throw PipelineError(.yamlSyntax, "the pipeline file is empty", at: start)
        }
        return root
    }

    private func nextEvent() throws(PipelineError) -> YAMLEvent {
        var event = yaml_event_t()
        guard yaml_parser_parse(parser, &event) == 1 else {
            throw parseError()
        }
        defer { yaml_event_delete(&event) }
        let location = PipelineError.Location(
            line: Int(event.start_mark.line) + 1, column: Int(event.start_mark.column) + 1)
        switch event.type {
        case YAML_STREAM_START_EVENT: return .streamStart
        case YAML_DOCUMENT_START_EVENT: return .documentStart(location)
        case YAML_DOCUMENT_END_EVENT: return .documentEnd
        case YAML_ALIAS_EVENT: return .alias(location)
        case YAML_SEQUENCE_START_EVENT: return .sequenceStart(location, hasTag: event.data.sequence_start.tag != nil)
        case YAML_SEQUENCE_END_EVENT: return .sequenceEnd
        case YAML_MAPPING_START_EVENT: return .mappingStart(location, hasTag: event.data.mapping_start.tag != nil)
        case YAML_MAPPING_END_EVENT: return .mappingEnd
        case YAML_SCALAR_EVENT:
            let scalar = event.data.scalar
            let text = String(decoding: UnsafeBufferPointer(start: scalar.value, count: scalar.length), as: UTF8.self)
            return .scalar(text, Self.style(scalar.style), location, hasTag: scalar.tag != nil)
        default: return .streamEnd
        }
    }

    private func parseError() -> PipelineError {
        let problem = parser.pointee.problem.map { String(cString: $0) } ?? "malformed YAML"
        let mark = parser.pointee.problem_mark
        let location = PipelineError.Location(line: Int(mark.line) + 1, column: Int(mark.column) + 1)
        return PipelineError(.yamlSyntax, "YAML syntax error: \(problem)", at: location)
    }

    private static func style(_ style: yaml_scalar_style_t) -> YAMLNode.ScalarStyle {
        switch style {
        case YAML_SINGLE_QUOTED_SCALAR_STYLE: .singleQuoted
        case YAML_DOUBLE_QUOTED_SCALAR_STYLE: .doubleQuoted
        case YAML_LITERAL_SCALAR_STYLE: .literal
        case YAML_FOLDED_SCALAR_STYLE: .folded
        default: .plain
        }
    }
}
