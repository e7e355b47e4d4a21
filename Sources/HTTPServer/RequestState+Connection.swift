import CMicroHTTPD
import Glibc

extension RequestState {
    /// The request's header fields, in the order MHD parsed them.
    static func headers(of connection: OpaquePointer) -> HTTPHeaders {
        var headers = HTTPHeaders()
        let count = withUnsafeMutablePointer(to: &headers) { pointer in
            MHD_get_connection_values(connection, .HEADER_KIND, MHDCallbacks.headerField, pointer)
        }
        guard count >= 0 else { return HTTPHeaders() }
        return headers
    }

    /// The peer's numeric address, or an empty string when MHD does not know it.
    static func remoteAddress(of connection: OpaquePointer) -> String {
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN) + 1)
        let result = buffer.withUnsafeMutableBufferPointer { pointer in
            vault_mhd_client_address(connection, pointer.baseAddress, socklen_t(pointer.count))
        }
        guard result == 0 else { return "" }

        let bytes = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        return String(decoding: bytes, as: UTF8.self)
    }
}
