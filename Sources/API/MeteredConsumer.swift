import HTTPServer

/// Wraps a route's body consumer so its answer is counted and logged like any other response.
final class MeteredConsumer: HTTPBodyConsumer {
    private let wrapped: any HTTPBodyConsumer
    private let record: @Sendable (HTTPResponse) -> HTTPResponse

    init(_ wrapped: any HTTPBodyConsumer, record: @escaping @Sendable (HTTPResponse) -> HTTPResponse) {
        self.wrapped = wrapped
        self.record = record
    }

    func consume(_ chunk: UnsafeRawBufferPointer) throws(HTTPRejection) {
        do {
            try wrapped.consume(chunk)
        } catch {
            throw HTTPRejection(record(error.response))
        }
    }

    func finish() -> HTTPReply {
        switch wrapped.finish() {
        case .now(let response):
            return .now(record(response))
        case .later(let start):
            let record = self.record
            return .later { complete in start { complete(record($0)) } }
        }
    }

    func abort() {
        wrapped.abort()
    }
}
