import Foundation
import Logging
import Synchronization

/// An HTTP/1.1 server on libmicrohttpd.
///
/// Requests are handled on MHD's worker threads: the responder routes each request from its head,
/// bodies are collected or streamed, and replies may come later from any thread. `stop()` shuts
/// down gracefully; releasing the server stops it too.
public final class HTTPServer: Sendable {
    private enum State {
        case idle
        case running(MHDDaemon)
        case stopped
    }

    private let configuration: HTTPServerConfiguration
    private let context: ServerContext
    private let state = Mutex(State.idle)
    private let boundPort = Atomic<UInt16>(0)

    /// Checks the configuration; nothing is bound until `start()`.
    public init(
        configuration: HTTPServerConfiguration, responder: any HTTPResponder, logger: Logger
    ) throws(HTTPServerError) {
        try HTTPServer.validate(configuration)
        self.configuration = configuration
        self.context = ServerContext(
            responder: responder, logger: logger, maxHeaderBytes: configuration.maxHeaderBytes)
    }

    deinit {
        stop(graceSeconds: 0)
    }

    /// The bound port once started (the chosen one when the configuration asked for port 0), else 0.
    public var port: UInt16 {
        boundPort.load(ordering: .acquiring)
    }

    /// Binds the address and starts serving.
    public func start() throws(HTTPServerError) {
        try state.withLock { state throws(HTTPServerError) in
            guard case .idle = state else {
                throw HTTPServerError(.alreadyStarted, reason: "The server was started before.")
            }
            let daemon = try MHDDaemon(configuration: configuration, context: context)
            boundPort.store(daemon.port, ordering: .releasing)
            state = .running(daemon)
        }
        context.logger.info(
            "HTTP server started", ["http.host": configuration.host, "http.port": "\(port)"])
    }

    /// Stops gracefully: no new connections, pending `.later` replies answered with 503, then up to
    /// `graceSeconds` for requests in flight before every connection is closed. Calling it again
    /// does nothing.
    public func stop(graceSeconds: Double = 10) {
        let stopped = state.withLock { state in
            guard case .running(let daemon) = state else { return false }
            daemon.quiesce()
            context.beginStopping()
            waitForRequestsInFlight(graceSeconds: graceSeconds)
            daemon.stop()
            state = .stopped
            return true
        }
        if stopped {
            context.logger.info("HTTP server stopped", ["http.port": "\(port)"])
        }
    }

    private func waitForRequestsInFlight(graceSeconds: Double) {
        let deadline = Date(timeIntervalSinceNow: max(0, graceSeconds))
        while context.requestsInFlight > 0, Date() < deadline {
            usleep(5_000)
        }
    }

    private static func validate(_ configuration: HTTPServerConfiguration) throws(HTTPServerError) {
        guard (configuration.tlsCertificatePEM == nil) == (configuration.tlsKeyPEM == nil) else {
            throw HTTPServerError(.invalidConfiguration, reason: "TLS needs both a certificate and a key.")
        }
        guard configuration.workerThreads >= 0, configuration.workerThreads <= 1024 else {
            throw HTTPServerError(.invalidConfiguration, reason: "The worker thread count is out of range.")
        }
        guard configuration.idleTimeoutSeconds >= 0, configuration.maxConnections > 0 else {
            throw HTTPServerError(.invalidConfiguration, reason: "The connection limits are out of range.")
        }
        guard configuration.maxHeaderBytes >= 256, configuration.maxHeaderBytes <= 1 << 24 else {
            throw HTTPServerError(.invalidConfiguration, reason: "The header size limit is out of range.")
        }
        _ = try BindAddress(host: configuration.host, port: configuration.port)
    }
}
