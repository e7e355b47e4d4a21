/// Delays between retries while the server is unreachable: doubling from `base` up to `ceiling`, each
/// drawn at random from the upper half of the current step ("equal jitter"), so that many runners
/// cut off together do not all come back in the same second.
struct RetryBackoff: Sendable {
    let base: Duration
    let ceiling: Duration
    private(set) var failures = 0

    init(base: Duration = .seconds(1), ceiling: Duration = .seconds(60)) {
        self.base = base
        self.ceiling = ceiling
    }

    /// The delay before the next try; each call counts one more failure.
    mutating func nextDelay<G: RandomNumberGenerator>(using generator: inout G) -> Duration {
        let step = min(ceiling, base * (1 << min(failures, 20)))
        failures += 1
        let half = step / 2
        let fraction = Double.random(in: 0...1, using: &generator)
        return half + half * fraction
    }

    /// The delay before the next try, with the system's random numbers.
    mutating func nextDelay() -> Duration {
        var generator = SystemRandomNumberGenerator()
        return nextDelay(using: &generator)
    }

    /// Starts over after a success.
    mutating func reset() {
        failures = 0
    }
}
