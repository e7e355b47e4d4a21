/// A libyaml parse event in Swift terms, as handed from the C reader to the tree builder.
enum YAMLEvent: Sendable, Equatable {
    case streamStart
    case documentStart(PipelineError.Location)
    case documentEnd
    case sequenceStart(PipelineError.Location, hasTag: Bool)
    case sequenceEnd
    case mappingStart(PipelineError.Location, hasTag: Bool)
    case mappingEnd
    case scalar(String, YAMLNode.ScalarStyle, PipelineError.Location, hasTag: Bool)
    case alias(PipelineError.Location)
    case streamEnd
}
