import CMicroHTTPD
import Logging
import Synchronization

/// What MHD's callbacks share for one server: the responder, the limits, the requests in flight
/// and the connections suspended for `.later` replies.
///
/// The server keeps it alive for longer than the MHD daemon, so callbacks hold it unretained.
final class ServerContext: Sendable {
    let responder: any HTTPResponder
    let logger: Logger
    /// Largest accepted request line plus header fields, in bytes.
    let maxHeaderBytes: Int
    /// How many bytes of a refused or ignored body are read and dropped before the connection
    /// is closed instead; MHD cannot send a response while a body is still arriving.
    let drainLimit: Int

    private struct Suspensions {
        var isStopping = false
        var replies: [ObjectIdentifier: SuspendedReply] = [:]
    }

    private let suspensions = Mutex(Suspensions())
    private let requestCount = Atomic<Int>(0)

    init(responder: any HTTPResponder, logger: Logger, maxHeaderBytes: Int, drainLimit: Int = 8 << 20) {
        self.responder = responder
        self.logger = logger
        self.maxHeaderBytes = maxHeaderBytes
        self.drainLimit = drainLimit
    }

    /// The number of requests between their request line and the end of their response.
    var requestsInFlight: Int {
        requestCount.load(ordering: .acquiring)
    }

    func requestStarted() {
        requestCount.add(1, ordering: .relaxed)
    }

    func requestEnded() {
        requestCount.subtract(1, ordering: .releasing)
    }

    /// Whether `stop()` has begun; responses then close their connection.
    var isStopping: Bool {
        suspensions.withLock { $0.isStopping }
    }

    /// Suspends `connection` for a `.later` reply, unless the server is stopping (then nil).
    ///
    /// Suspending under the lock means `beginStopping()` sees every suspended connection.
    func suspend(_ connection: OpaquePointer) -> SuspendedReply? {
        suspensions.withLock { state in
            guard !state.isStopping else { return nil }
            MHD_suspend_connection(connection)
            let reply = SuspendedReply(suspended: ConnectionHandle(pointer: connection))
            state.replies[ObjectIdentifier(reply)] = reply
            return reply
        }
    }

    /// Completes a `.later` reply from any thread.
    func complete(_ reply: SuspendedReply, with response: HTTPResponse) {
        reply.complete(with: response)
        _ = suspensions.withLock { $0.replies.removeValue(forKey: ObjectIdentifier(reply)) }
    }

    /// Refuses further suspensions and answers every suspended request with 503.
    ///
    /// On return every suspended connection has been resumed, as MHD requires before it stops.
    func beginStopping() {
        let pending = suspensions.withLock { state in
            state.isStopping = true
            let replies = Array(state.replies.values)
            state.replies.removeAll()
            return replies
        }
        for reply in pending {
            reply.complete(with: ServerContext.unavailable)
        }
    }

    /// The answer while the server shuts down.
    static var unavailable: HTTPResponse {
        HTTPResponse.error(503, code: "unavailable", message: "The server is shutting down.")
    }
}
