import Glibc

/// Reads a step's standard output and error as they become readable and hands the bytes on.
struct OutputPump {
    /// The most read from one pipe in one go.
    static let chunkSize = 64 * 1024

    private let standardOutput: FileDescriptor
    private let standardError: FileDescriptor

    init(standardOutput: FileDescriptor, standardError: FileDescriptor) {
        self.standardOutput = standardOutput
        self.standardError = standardError
    }

    /// Both pipes reached end of file.
    var isFinished: Bool { !standardOutput.isOpen && !standardError.isOpen }

    /// Waits up to `timeout` for output or for one of `extra` to become readable, and reads what is there.
    func poll(timeout: Duration, extra: [Int32], output: (StepOutput) -> Void) throws(SandboxError) {
        var descriptors = [standardOutput.rawValue, standardError.rawValue].filter { $0 >= 0 } + extra
        var entries = descriptors.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
        // Rounded up, so a wait of less than a millisecond does not become a busy loop.
        let (seconds, attoseconds) = timeout.components
        let milliseconds = Int32(clamping: seconds * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000)
        let count = entries.withUnsafeMutableBufferPointer {
            Glibc.poll($0.baseAddress, nfds_t($0.count), milliseconds)
        }
        if count < 0 {
            guard errno == EINTR else { throw .system(.supervisionFailed, "poll", errno: errno) }
            return
        }
        descriptors = entries.filter { $0.revents != 0 }.map(\.fd)
        try read(standardOutput, as: .standardOutput, ifIn: descriptors, output: output)
        try read(standardError, as: .standardError, ifIn: descriptors, output: output)
    }

    private func read(
        _ pipe: FileDescriptor, as stream: StepOutput.Stream, ifIn ready: [Int32], output: (StepOutput) -> Void
    ) throws(SandboxError) {
        guard pipe.isOpen, ready.contains(pipe.rawValue) else { return }
        guard let bytes = try pipe.read(upTo: Self.chunkSize) else {
            pipe.close()
            return
        }
        if !bytes.isEmpty { output(StepOutput(stream: stream, bytes: bytes)) }
    }
}
