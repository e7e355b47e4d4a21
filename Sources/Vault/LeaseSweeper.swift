import Dispatch
import Foundation
import Logging

/// One timer for all leases: every interval it marks the active leases past their expiry as expired,
/// in batches, and deletes ended leases past their retention.
///
/// Correctness never waits for it: reads check the expiry themselves. It keeps the table's states
/// honest for listings and bounds the table's size. Starting it costs nothing per lease; the first
/// sweep runs one interval after start, off the start-up path.
///
/// Unchecked `Sendable`: the only state is the timer, set once; dispatch sources are thread-safe.
public final class LeaseSweeper: @unchecked Sendable {
    private let timer: any DispatchSourceTimer

    /// Starts sweeping `vault` every `interval` seconds on a background queue.
    public init(vault: Vault, interval: Double = 5, logger: Logger? = nil) {
        let queue = DispatchQueue(label: "vault.lease-sweeper", qos: .utility)
        timer = DispatchSource.makeTimerSource(queue: queue)
        timer.schedule(deadline: .now() + interval, repeating: interval, leeway: .milliseconds(250))
        timer.setEventHandler { [weak vault] in
            guard let vault, !vault.status().isSealed else { return }
            do {
                let swept = try vault.sweepLeases()
                if swept.expired + swept.deleted > 0 {
                    logger?.debug(
                        "lease sweep done",
                        ["leases.expired": "\(swept.expired)", "leases.deleted": "\(swept.deleted)"])
                }
            } catch {
                logger?.warning("lease sweep failed", ["error.code": (error as? VaultError)?.code.name ?? "unknown"])
            }
        }
        timer.resume()
    }

    deinit {
        timer.cancel()
    }

    /// Stops the timer; a sweep in progress finishes.
    public func stop() {
        timer.cancel()
    }
}

/// What one sweep did.
public struct SweepResult: Sendable, Equatable {
    /// Active leases marked expired.
    public let expired: Int
    /// Ended leases deleted after their retention.
    public let deleted: Int
}

extension Vault {
    /// Marks expired leases and deletes ended ones past retention, `batchSize` rows per transaction so
    /// that requests are never held up behind one long write.
    @discardableResult
    public func sweepLeases(batchSize: Int = 500) throws(VaultError) -> SweepResult {
        let now = nowSeconds
        let batch = Int64(max(1, batchSize))
        var expired = 0
        while true {
            let changed = try write { connection in
                try connection.run(
                    """
                    UPDATE leases SET state = 'expired', ended_at = expires_at
                    WHERE rowid IN (
                        SELECT rowid FROM leases WHERE state = 'active' AND expires_at <= ?1 ORDER BY expires_at LIMIT ?2
                    )
                    """, .integer(now), .integer(batch))
            }
            expired += changed
            if changed < batch { break }
        }
        let cutoff = now - options.endedLeaseRetention
        var deleted = 0
        while true {
            let changed = try write { connection in
                try connection.run(
                    """
                    DELETE FROM leases WHERE rowid IN (
                        SELECT rowid FROM leases WHERE ended_at IS NOT NULL AND ended_at <= ?1 LIMIT ?2
                    )
                    """, .integer(cutoff), .integer(batch))
            }
            deleted += changed
            if changed < batch { break }
        }
        return SweepResult(expired: expired, deleted: deleted)
    }
}
