import CMicroHTTPD
import Foundation
import Logging

/// An MHD response built from an `HTTPResponse`, destroyed when released.
///
/// MHD holds its own reference while the response is queued, so releasing this after
/// `queue(on:)` is correct.
final class MHDResponse {
    private let handle: OpaquePointer
    private let status: UInt32

    /// Builds the MHD response; nil when MHD refuses (a file descriptor is then closed here).
    init?(_ response: HTTPResponse, closesConnection: Bool, logger: Logger) {
        guard let handle = MHDResponse.makeHandle(for: response.body) else { return nil }
        self.handle = handle
        self.status = (100...999).contains(response.status) ? UInt32(response.status) : 500

        for field in response.headers {
            addHeader(field.name, field.value, logger: logger)
        }
        if closesConnection {
            addHeader("Connection", "close", logger: logger)
        }
    }

    deinit {
        MHD_destroy_response(handle)
    }

    /// Queues the response on `connection`; false when MHD refuses it.
    func queue(on connection: OpaquePointer) -> Bool {
        MHD_queue_response(connection, status, handle) == .YES
    }

    private func addHeader(_ name: String, _ value: String, logger: Logger) {
        // MHD writes Content-Length itself, from the body it sends.
        guard name.lowercased() != "content-length" else { return }

        let result = MHD_add_response_header(handle, name, value)
        guard result == .YES else {
            logger.warning("Response header refused by libmicrohttpd", ["http.header": name])
            return
        }
    }

    private static func makeHandle(for body: HTTPResponse.Body) -> OpaquePointer? {
        switch body {
        case .bytes(let bytes):
            return bytes.withUnsafeBytes { buffer in
                MHD_create_response_from_buffer(
                    buffer.count, UnsafeMutableRawPointer(mutating: buffer.baseAddress), .RESPMEM_MUST_COPY)
            }
        case .file(let descriptor, let offset, let length):
            guard offset <= UInt64(Int64.max), length <= UInt64(Int64.max) - offset,
                let handle = MHD_create_response_from_fd_at_offset64(length, descriptor, offset)
            else {
                close(descriptor)
                return nil
            }
            return handle
        case .headOnly(let length):
            return MHD_create_response_from_callback(length, 4096, MHDCallbacks.noBody, nil, nil)
        }
    }
}
