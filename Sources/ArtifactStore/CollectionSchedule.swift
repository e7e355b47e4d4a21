@preconcurrency import Dispatch
import Logging

/// Runs garbage collection every `interval` on a utility queue until cancelled or released.
public final class CollectionSchedule: Sendable {
    private let timer: any DispatchSourceTimer

    /// Starts the schedule; the first run comes one interval from now.
    public init(store: ArtifactStore, intervalSeconds: Int, logger: Logger) {
        let queue = DispatchQueue(label: "vaultctl.artifacts.gc", qos: .utility)
        let interval = DispatchTimeInterval.seconds(max(1, intervalSeconds))
        timer = DispatchSource.makeTimerSource(queue: queue)
        timer.schedule(deadline: .now() + interval, repeating: interval, leeway: .seconds(1))
        timer.setEventHandler {
            do throws(ArtifactError) {
                _ = try store.collectGarbage()
            } catch {
                logger.warning("artifact garbage collection failed", ["error.code": error.code.name])
            }
        }
        timer.resume()
    }

    deinit {
        timer.cancel()
    }

    /// Stops further runs; one in progress finishes.
    public func cancel() {
        timer.cancel()
    }
}
