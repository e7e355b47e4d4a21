import CMicroHTTPD
import Logging

/// One request's way through MHD's access handler, from its head to its response.
///
/// MHD runs the access handler for a connection on one thread at a time, so this state needs no
/// lock; only a `.later` reply crosses threads, through `SuspendedReply`. The object is created by
/// the URI log callback, retained in MHD's per-request context pointer and released when MHD
/// reports the request completed.
final class RequestState {
    private enum Phase {
        case awaitingHead
        /// Reading and dropping the body, then sending the response.
        case draining(HTTPResponse, dropped: Int)
        case collecting(limit: Int, handler: @Sendable (HTTPRequest) -> HTTPReply)
        case streaming(any HTTPBodyConsumer)
        case suspended(SuspendedReply)
        case answered
    }

    /// The request target as sent, path and query, still percent-encoded.
    private let target: [UInt8]
    private var phase = Phase.awaitingHead
    private var head = HTTPRequestHead(method: "", path: "")
    private var body: [UInt8] = []
    /// A consumer owed `abort()` if the request ends now.
    private var unfinishedConsumer: (any HTTPBodyConsumer)?
    private var suspendedReply: SuspendedReply?

    init(target: [UInt8]) {
        self.target = target
    }

    /// One call of the access handler. `chunk` is nil for the first and the last call.
    func handle(
        connection: OpaquePointer, method: String, version: String, chunk: UnsafeRawBufferPointer?,
        context: ServerContext
    ) -> MHD_Result {
        if case .awaitingHead = phase {
            return receiveHead(connection: connection, method: method, version: version, context: context)
        }
        if let chunk {
            return receive(chunk, context: context) ? .YES : .NO
        }
        return receiveEnd(connection: connection, context: context)
    }

    /// MHD reports the request over: completed, timed out, the client gone or the server stopping.
    func end() {
        if let consumer = unfinishedConsumer {
            unfinishedConsumer = nil
            consumer.abort()
        }
        suspendedReply?.abandon()
    }

    private func receiveHead(
        connection: OpaquePointer, method: String, version: String, context: ServerContext
    ) -> MHD_Result {
        let parsed: RequestTarget
        do {
            parsed = try RequestTarget(target)
        } catch {
            let refusal = HTTPResponse.error(400, code: "bad_request", message: error.message)
            return answer(refusal, connection: connection, context: context)
        }

        let headers = RequestState.headers(of: connection)
        guard headSize(method: method, version: version, headers: headers) <= context.maxHeaderBytes else {
            let refusal = HTTPResponse.error(
                431, code: "headers_too_large", message: "The request line and headers are too large.")
            return answer(refusal, connection: connection, context: context)
        }

        let query = parsed.query.map { (name: $0.name, value: $0.value) }
        head = HTTPRequestHead(
            method: method, path: parsed.path, query: query, headers: headers,
            remoteAddress: RequestState.remoteAddress(of: connection))
        return route(context.responder.route(head), connection: connection, context: context)
    }

    private func route(_ route: HTTPRoute, connection: OpaquePointer, context: ServerContext) -> MHD_Result {
        let declaredLength = head.contentLength ?? 0
        switch route {
        case .respond(let response):
            guard declaredLength <= context.drainLimit else {
                return answer(response, connection: connection, context: context)
            }
            phase = .draining(response, dropped: 0)
        case .collect(let limit, let handler):
            guard declaredLength <= limit else {
                return answer(RequestState.payloadTooLarge, connection: connection, context: context)
            }
            body.reserveCapacity(Int(declaredLength))
            phase = .collecting(limit: limit, handler: handler)
        case .stream(let consumer):
            unfinishedConsumer = consumer
            phase = .streaming(consumer)
        }
        return .YES
    }

    /// Takes one chunk of the body; false closes the connection.
    private func receive(_ chunk: UnsafeRawBufferPointer, context: ServerContext) -> Bool {
        switch phase {
        case .draining(let response, let dropped):
            let total = dropped + chunk.count
            phase = .draining(response, dropped: total)
            return total <= context.drainLimit
        case .collecting(let limit, _):
            guard body.count + chunk.count <= limit else {
                body = []
                phase = .draining(RequestState.payloadTooLarge, dropped: chunk.count)
                return true
            }
            body.append(contentsOf: chunk)
            return true
        case .streaming(let consumer):
            do {
                try consumer.consume(chunk)
            } catch {
                unfinishedConsumer = nil
                consumer.abort()
                phase = .draining(error.response, dropped: 0)
            }
            return true
        case .awaitingHead, .suspended, .answered:
            return false
        }
    }

    private func receiveEnd(connection: OpaquePointer, context: ServerContext) -> MHD_Result {
        switch phase {
        case .draining(let response, _):
            return answer(response, connection: connection, context: context)
        case .collecting(_, let handler):
            let request = HTTPRequest(head: head, body: body)
            body = []
            return deliver(handler(request), connection: connection, context: context)
        case .streaming(let consumer):
            unfinishedConsumer = nil
            return deliver(consumer.finish(), connection: connection, context: context)
        case .suspended(let reply):
            let response =
                reply.takeResponse()
                ?? HTTPResponse.error(500, code: "internal", message: "The reply was lost.")
            return answer(response, connection: connection, context: context)
        case .awaitingHead, .answered:
            return .YES
        }
    }

    private func deliver(_ reply: HTTPReply, connection: OpaquePointer, context: ServerContext) -> MHD_Result {
        switch reply {
        case .now(let response):
            return answer(response, connection: connection, context: context)
        case .later(let start):
            guard let suspended = context.suspend(connection) else {
                return answer(ServerContext.unavailable, connection: connection, context: context)
            }
            suspendedReply = suspended
            phase = .suspended(suspended)
            start { response in
                context.complete(suspended, with: response)
            }
            return .YES
        }
    }

    private func answer(_ response: HTTPResponse, connection: OpaquePointer, context: ServerContext) -> MHD_Result {
        phase = .answered
        let closes = context.isStopping
        var built = MHDResponse(response, closesConnection: closes, logger: context.logger)
        if built == nil {
            context.logger.warning("Response could not be built", ["http.status": "\(response.status)"])
            let failure = HTTPResponse.error(500, code: "internal", message: "The response could not be built.")
            built = MHDResponse(failure, closesConnection: closes, logger: context.logger)
        }
        guard let built, built.queue(on: connection) else { return .NO }
        return .YES
    }

    private func headSize(method: String, version: String, headers: HTTPHeaders) -> Int {
        let requestLine = method.utf8.count + target.count + version.utf8.count + 4
        return headers.reduce(requestLine + 2) { size, field in
            size + field.name.utf8.count + field.value.utf8.count + 4
        }
    }

    private static var payloadTooLarge: HTTPResponse {
        HTTPResponse.error(413, code: "payload_too_large", message: "The request body is larger than allowed.")
    }
}
