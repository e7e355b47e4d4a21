/// Byte counts of a transfer in flight, as libcurl reports them.
///
/// A total is 0 while it is not known yet.
public struct TransferProgress: Sendable, Equatable {
    /// Bytes of the request body sent so far.
    public var uploadedBytes: Int64
    /// The request body's size, or 0 when unknown.
    public var uploadTotal: Int64
    /// Bytes of the response body received so far.
    public var downloadedBytes: Int64
    /// The response body's size, or 0 when unknown.
    public var downloadTotal: Int64

    /// Creates a progress report.
    public init(uploadedBytes: Int64, uploadTotal: Int64, downloadedBytes: Int64, downloadTotal: Int64) {
        self.uploadedBytes = uploadedBytes
        self.uploadTotal = uploadTotal
        self.downloadedBytes = downloadedBytes
        self.downloadTotal = downloadTotal
    }
}
