/// Settings of an `HTTPServer`.
public struct HTTPServerConfiguration: Sendable {
    /// The address to bind, such as `127.0.0.1` or `0.0.0.0`.
    public var host: String
    /// The port; 0 picks a free one (read it back from `HTTPServer.port`).
    public var port: UInt16
    /// Worker threads; defaults to the number of cores.
    public var workerThreads: Int
    /// Seconds a connection may sit idle before it is closed.
    public var idleTimeoutSeconds: Int
    /// Largest accepted size, in bytes, of the request line and headers together; larger gets 431 or 414.
    public var maxHeaderBytes: Int
    /// Most simultaneous connections.
    public var maxConnections: Int
    /// PEM certificate and key for TLS; both or neither.
    public var tlsCertificatePEM: String?
    public var tlsKeyPEM: String?

    public init(
        host: String = "127.0.0.1", port: UInt16 = 8270, workerThreads: Int = 0, idleTimeoutSeconds: Int = 60,
        maxHeaderBytes: Int = 32 * 1024, maxConnections: Int = 1024, tlsCertificatePEM: String? = nil,
        tlsKeyPEM: String? = nil
    ) {
        self.host = host
        self.port = port
        self.workerThreads = workerThreads
        self.idleTimeoutSeconds = idleTimeoutSeconds
        self.maxHeaderBytes = maxHeaderBytes
        self.maxConnections = maxConnections
        self.tlsCertificatePEM = tlsCertificatePEM
        self.tlsKeyPEM = tlsKeyPEM
    }
}
