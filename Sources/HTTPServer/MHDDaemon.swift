import CMicroHTTPD
import Foundation

/// A running libmicrohttpd daemon, stopped when released.
final class MHDDaemon {
    private var handle: OpaquePointer?
    private var listenSocket: Int32 = -1
    // MHD may read the PEM text while it runs, so the copies live as long as the daemon.
    private let certificate: PEMText?
    private let key: PEMText?
    /// The port the daemon is bound to.
    let port: UInt16

    /// Binds and starts MHD's threads.
    init(configuration: HTTPServerConfiguration, context: ServerContext) throws(HTTPServerError) {
        let address = try BindAddress(host: configuration.host, port: configuration.port)
        certificate = configuration.tlsCertificatePEM.map(PEMText.init)
        key = configuration.tlsKeyPEM.map(PEMText.init)

        var flags = MHD_USE_INTERNAL_POLLING_THREAD.rawValue | MHD_USE_EPOLL.rawValue
        flags |= MHD_ALLOW_SUSPEND_RESUME.rawValue | MHD_USE_ERROR_LOG.rawValue
        if certificate != nil { flags |= MHD_USE_TLS.rawValue }
        if address.isIPv6 { flags |= MHD_USE_IPv6.rawValue }

        let contextPointer = Unmanaged.passUnretained(context).toOpaque()
        var options = MHDDaemon.options(configuration: configuration, context: contextPointer)
        if let certificate, let key {
            options.append(vault_mhd_option_pointer(.HTTPS_MEM_KEY, key.optionPointer))
            options.append(vault_mhd_option_pointer(.HTTPS_MEM_CERT, certificate.optionPointer))
        }

        let started = address.withSocketAddress { socketAddress in
            options.append(vault_mhd_option_pointer(.SOCK_ADDR, socketAddress))
            options.append(vault_mhd_option_end())
            return options.withUnsafeMutableBufferPointer { items in
                vault_mhd_start(flags, configuration.port, MHDCallbacks.access, contextPointer, items.baseAddress)
            }
        }
        guard let started else {
            throw HTTPServerError(
                .startFailed, reason: "libmicrohttpd could not start on \(configuration.host):\(configuration.port).")
        }
        handle = started

        port = vault_mhd_bound_port(started)
        guard port != 0 else {
            MHD_stop_daemon(started)
            handle = nil
            throw HTTPServerError(.startFailed, reason: "libmicrohttpd did not report its port.")
        }
    }

    deinit {
        stop()
    }

    /// Stops accepting connections; those already open are served on.
    func quiesce() {
        guard let handle, listenSocket < 0 else { return }
        // MHD hands the listening socket back; it must stay open until MHD_stop_daemon returns.
        listenSocket = MHD_quiesce_daemon(handle)
    }

    /// Closes every connection and joins MHD's threads. Every suspended connection must have been
    /// resumed before.
    func stop() {
        guard let handle else { return }
        self.handle = nil
        MHD_stop_daemon(handle)
        if listenSocket >= 0 {
            close(listenSocket)
            listenSocket = -1
        }
    }

    private static func options(
        configuration: HTTPServerConfiguration, context: UnsafeMutableRawPointer
    ) -> [MHD_OptionItem] {
        let threads =
            configuration.workerThreads > 0
            ? configuration.workerThreads : ProcessInfo.processInfo.activeProcessorCount
        // MHD keeps the request head and its buffers in one pool per connection; it is sized so
        // that MHD does not refuse a head before the handler can answer 431 itself.
        let memoryLimit = configuration.maxHeaderBytes * 2 + 64 * 1024
        // The logger comes first so that MHD reports problems with the other options through it.
        return [
            vault_mhd_option_logger(MHDCallbacks.log, context),
            vault_mhd_option_uri_log(MHDCallbacks.requestLine, context),
            vault_mhd_option_notify_completed(MHDCallbacks.completed, context),
            vault_mhd_option_unescape(MHDCallbacks.keepEscapes, nil),
            vault_mhd_option_value(.THREAD_POOL_SIZE, threads),
            vault_mhd_option_value(.CONNECTION_TIMEOUT, configuration.idleTimeoutSeconds),
            vault_mhd_option_value(.CONNECTION_LIMIT, configuration.maxConnections),
            vault_mhd_option_value(.CONNECTION_MEMORY_LIMIT, memoryLimit),
        ]
    }
}
