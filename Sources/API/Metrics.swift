import Synchronization

/// Request counters exported at `GET /metrics` in the Prometheus text format.
final class Metrics: Sendable {
    private struct Key: Hashable {
        var method: String
        var route: String
        var status: Int
    }

    private let requests = Mutex<[Key: Int]>([:])

    /// Counts one answered request.
    func record(method: String, route: String, status: Int) {
        requests.withLock { $0[Key(method: method, route: route, status: status), default: 0] += 1 }
    }

    /// The exposition text, with `gauges` appended.
    func exposition(gauges: [(name: String, help: String, value: Int)]) -> String {
        var text = "# HELP vault_http_requests_total HTTP requests answered, by route pattern and status.\n"
        text += "# TYPE vault_http_requests_total counter\n"
        let counts = requests.withLock { $0 }
        for (key, count) in counts.sorted(by: {
            ($0.key.route, $0.key.method, $0.key.status) < ($1.key.route, $1.key.method, $1.key.status)
        }) {
            text +=
                "vault_http_requests_total{method=\"\(key.method)\",route=\"\(key.route)\",status=\"\(key.status)\"} \(count)\n"
        }
        for gauge in gauges {
            text += "# HELP \(gauge.name) \(gauge.help)\n# TYPE \(gauge.name) gauge\n\(gauge.name) \(gauge.value)\n"
        }
        return text
    }
}
