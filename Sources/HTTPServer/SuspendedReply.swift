import CMicroHTTPD
import Synchronization

/// A connection pointer that may cross threads.
///
/// MHD allows `MHD_resume_connection` from any thread; the pointer is never dereferenced in Swift.
struct ConnectionHandle: @unchecked Sendable {
    let pointer: OpaquePointer
}

/// The answer to a request whose reply was `.later`, handed from the thread that completes it
/// to the MHD thread that sends it.
final class SuspendedReply: Sendable {
    private enum Phase {
        case waiting(ConnectionHandle)
        case ready(HTTPResponse)
        case delivered
        case abandoned
    }

    private let phase: Mutex<Phase>

    /// A reply for `connection`, which the caller has just suspended.
    init(suspended connection: ConnectionHandle) {
        phase = Mutex(.waiting(connection))
    }

    /// Stores the response and resumes the connection; only the first call has an effect.
    ///
    /// The resume happens under the lock so that once a concurrent caller returns, the connection
    /// is certainly resumed: `HTTPServer.stop()` relies on it before it stops MHD.
    func complete(with response: HTTPResponse) {
        phase.withLock { phase in
            guard case .waiting(let connection) = phase else { return }
            phase = .ready(response)
            MHD_resume_connection(connection.pointer)
        }
    }

    /// The response to send, once the connection has been resumed; nil before or after.
    func takeResponse() -> HTTPResponse? {
        phase.withLock { phase in
            guard case .ready(let response) = phase else { return nil }
            phase = .delivered
            return response
        }
    }

    /// The request is over; a late completion is ignored.
    func abandon() {
        phase.withLock { $0 = .abandoned }
    }
}
