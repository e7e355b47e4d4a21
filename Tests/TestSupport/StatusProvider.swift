import Foundation
import HTTPServer
import Synchronization

/// A stand-in Git provider: records every commit status posted to it, failing the first few.
public final class StatusProvider: HTTPResponder, @unchecked Sendable {
    /// One status post as received.
    public struct Received: Sendable {
        public let context: String
        public let state: String
        /// What the provider answered.
        public let status: Int
    }

    private let failuresLeft: Mutex<Int>
    private let received = Mutex<[Received]>([])

    /// A provider that answers 500 to the first `failFirst` posts, then 201.
    public init(failFirst: Int) {
        failuresLeft = Mutex(failFirst)
    }

    /// Every post so far, in order.
    public var all: [Received] { received.withLock { $0 } }

    public func route(_ head: HTTPRequestHead) -> HTTPRoute {
        .collect(limit: 1 << 16) { [self] request in
            let object = (try? JSONSerialization.jsonObject(with: Data(request.body))) as? [String: Any] ?? [:]
            let status = failuresLeft.withLock { left in
                guard left > 0 else { return 201 }
                left -= 1
                return 500
            }
            received.withLock {
                $0.append(
                    Received(
                        context: object["context"] as? String ?? "", state: object["status"] as? String ?? "",
                        status: status))
            }
            return .now(HTTPResponse(status: status))
        }
    }
}
