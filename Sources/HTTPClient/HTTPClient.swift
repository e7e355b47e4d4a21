/// A blocking HTTP/1.1 client over libcurl, for the CLI and the CI runner.
///
/// Every call runs on the calling thread and uses its own libcurl handle, so one client may be
/// shared by many threads. Calls block: from Swift concurrency, run them on a thread of your own
/// rather than the cooperative pool. Only `http` and `https` are spoken and redirects are
/// returned, not followed.
public final class HTTPClient: Sendable {
    /// The per-client settings every request applies.
    struct Settings: Sendable {
        var tlsCAFile: String?
        var insecureSkipVerify: Bool
        var userAgent: String
    }

    let settings: Settings

    /// Creates a client.
    /// - Parameters:
    ///   - tlsCAFile: A PEM bundle to trust instead of the system's, for self-signed servers.
    ///   - insecureSkipVerify: Skips certificate and host name checks; for development only.
    ///   - userAgent: The `User-Agent` header.
    public init(tlsCAFile: String? = nil, insecureSkipVerify: Bool = false, userAgent: String = "vaultctl") {
        settings = Settings(tlsCAFile: tlsCAFile, insecureSkipVerify: insecureSkipVerify, userAgent: userAgent)
    }

    /// Sends `request` and returns the response with its whole body in memory.
    ///
    /// Any status is a response; only failing to get one throws.
    // TODO: the body has no size cap; use download(_:to:) for anything that may be large.
    public func send(
        _ request: HTTPClientRequest,
        progress: (@Sendable (TransferProgress) -> Void)? = nil
    ) throws(HTTPClientError) -> HTTPClientResponse {
        let transfer = try CurlTransfer(
            settings: settings,
            request: request,
            payload: .body(request.body),
            destination: .memory,
            progress: progress
        )
        return try transfer.perform()
    }

    /// Like ``send(_:progress:)``, but streams a 2xx body into `path` and returns an empty body.
    ///
    /// The file is created with mode 0600 (or truncated) when the first byte of a 2xx response
    /// arrives, so a failed request leaves an existing file alone. A non-2xx body is returned in
    /// memory, capped at 1 MiB. Memory use does not grow with the download's size. A transfer
    /// that breaks midway leaves a partial file; download to a temporary name and rename it
    /// when the result must appear whole.
    public func download(
        _ request: HTTPClientRequest,
        to path: String,
        progress: (@Sendable (TransferProgress) -> Void)? = nil
    ) throws(HTTPClientError) -> HTTPClientResponse {
        let transfer = try CurlTransfer(
            settings: settings,
            request: request,
            payload: .body(request.body),
            destination: .file(path: path),
            progress: progress
        )
        return try transfer.perform()
    }

    /// Like ``send(_:progress:)``, but hands each 2xx body chunk to `onChunk` as it arrives.
    ///
    /// Returning `false` from `onChunk` ends the transfer quietly: the response so far is
    /// returned, nothing is thrown. A non-2xx body is returned in memory, capped at 1 MiB, and
    /// never passed to `onChunk`. The buffer is valid only during the call.
    public func stream(
        _ request: HTTPClientRequest,
        onChunk: (UnsafeRawBufferPointer) -> Bool
    ) throws(HTTPClientError) -> HTTPClientResponse {
        let result = withoutActuallyEscaping(onChunk) { handler in
            Result { () throws(HTTPClientError) -> HTTPClientResponse in
                let transfer = try CurlTransfer(
                    settings: settings,
                    request: request,
                    payload: .body(request.body),
                    destination: .chunks(handler),
                    progress: nil
                )
                return try transfer.perform()
            }
        }
        return try result.get()
    }
}
