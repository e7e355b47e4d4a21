import Dispatch
import Synchronization

/// Runners waiting in a long poll. Each waiter is tried when jobs may have been queued; a waiter
/// that gets a job, or whose time runs out, is answered once and removed. Nothing polls in a loop.
final class JobWaiters: Sendable {
    /// A waiting runner: `attempt` tries to claim and returns true once it has answered the runner.
    struct Waiter: Sendable {
        let id: UInt64
        let attempt: @Sendable () -> Bool
        let expire: @Sendable () -> Void
    }

    private let waiting = Mutex<[UInt64: Waiter]>([:])
    private let nextID = Atomic<UInt64>(1)
    private let queue = DispatchQueue(label: "vaultctl.ci.waiters")

    /// Adds a waiter that expires after `seconds`.
    func add(seconds: Int, attempt: @escaping @Sendable () -> Bool, expire: @escaping @Sendable () -> Void) {
        let id = nextID.add(1, ordering: .relaxed).oldValue
        waiting.withLock { $0[id] = Waiter(id: id, attempt: attempt, expire: expire) }
        queue.asyncAfter(deadline: .now() + .seconds(seconds)) { [self] in
            if let waiter = remove(id) { waiter.expire() }
        }
    }

    /// Offers newly queued work to every waiter, oldest first, on the waiters' queue.
    func notifyAll() {
        queue.async { [self] in
            let current = waiting.withLock { $0.values.sorted { $0.id < $1.id } }
            for waiter in current where waiter.attempt() {
                _ = remove(waiter.id)
            }
        }
    }

    /// Answers every waiter with "no job", as at shutdown.
    func cancelAll() {
        let all = waiting.withLock { waiting in
            defer { waiting.removeAll() }
            return Array(waiting.values)
        }
        all.forEach { $0.expire() }
    }

    private func remove(_ id: UInt64) -> Waiter? {
        waiting.withLock { $0.removeValue(forKey: id) }
    }
}
