import HTTPServer
import Vault

/// `GET /v1/health` and `GET /metrics`: open, answered sealed or not.
enum HealthRoutes {
    static func make(vault: Vault, metrics: Metrics) -> [Route] {
        [
            Route("GET", "/v1/health", access: .open) { context throws(APIError) in
                try context.allowQuery([])
                return JSONResponse.make(200, OperatorRoutes.statusObject(vault.status()))
            },
            Route("GET", "/metrics", access: .open) { context throws(APIError) in
                try context.allowQuery([])
                let status = vault.status()
                let text = metrics.exposition(gauges: [
                    ("vault_initialized", "Whether the vault has been initialized.", status.isInitialized ? 1 : 0),
                    ("vault_sealed", "Whether the vault is sealed.", status.isSealed ? 1 : 0),
                    ("vault_key_term", "The active key term; 0 while sealed.", Int(status.activeTerm ?? 0)),
                ])
                var headers = HTTPHeaders()
                headers.add("Content-Type", "text/plain; version=0.0.4")
                return HTTPResponse(status: 200, headers: headers, body: .bytes(Array(text.utf8)))
            },
        ]
    }
}
