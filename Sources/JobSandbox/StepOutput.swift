/// A chunk of a step's output, in the order it was read.
public struct StepOutput: Sendable, Equatable {
    /// Which pipe the bytes came from.
    public enum Stream: Sendable, Equatable {
        case standardOutput
        case standardError
    }

    /// The pipe the bytes were read from.
    public let stream: Stream
    /// The bytes, never empty.
    public let bytes: [UInt8]

    public init(stream: Stream, bytes: [UInt8]) {
        self.stream = stream
        self.bytes = bytes
    }
}
