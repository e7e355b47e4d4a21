import Glibc

/// The socket address a server binds: an IPv4 or IPv6 literal, or `localhost`.
struct BindAddress {
    private enum Family {
        case v4(sockaddr_in)
        case v6(sockaddr_in6)
    }

    private let family: Family

    /// Parses `host`; names other than `localhost` are refused, since resolving them would block.
    init(host: String, port: UInt16) throws(HTTPServerError) {
        let literal = host == "localhost" ? "127.0.0.1" : host

        var v4 = sockaddr_in()
        if inet_pton(AF_INET, literal, &v4.sin_addr) == 1 {
            v4.sin_family = sa_family_t(AF_INET)
            v4.sin_port = port.bigEndian
            family = .v4(v4)
            return
        }

        var v6 = sockaddr_in6()
        let unbracketed =
            literal.hasPrefix("[") && literal.hasSuffix("]") ? String(literal.dropFirst().dropLast()) : literal
        guard inet_pton(AF_INET6, unbracketed, &v6.sin6_addr) == 1 else {
            throw HTTPServerError(.invalidConfiguration, reason: "The host '\(host)' is not an IP address.")
        }
        v6.sin6_family = sa_family_t(AF_INET6)
        v6.sin6_port = port.bigEndian
        family = .v6(v6)
    }

    var isIPv6: Bool {
        if case .v6 = family { return true }
        return false
    }

    /// Calls `body` with a pointer to the `sockaddr`, valid only during the call.
    func withSocketAddress<Result>(_ body: (UnsafeMutableRawPointer) -> Result) -> Result {
        switch family {
        case .v4(var address):
            return withUnsafeMutablePointer(to: &address) { body(UnsafeMutableRawPointer($0)) }
        case .v6(var address):
            return withUnsafeMutablePointer(to: &address) { body(UnsafeMutableRawPointer($0)) }
        }
    }
}
