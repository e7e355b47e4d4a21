import Dispatch

extension Duration {
    /// The duration as a Dispatch interval, for semaphore and queue timeouts.
    var dispatchInterval: DispatchTimeInterval {
        let (seconds, attoseconds) = components
        let nanoseconds = min(seconds, Int64(Int.max / 1_000_000_000 - 1)) * 1_000_000_000 + attoseconds / 1_000_000_000
        return .nanoseconds(Int(max(0, nanoseconds)))
    }

    /// The duration in seconds, with fractions.
    var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
