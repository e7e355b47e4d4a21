import Foundation
import HTTPClient

/// Talks to the server's JSON API for the CLI: resolves the address and token, and turns HTTP
/// errors into messages and exit codes.
struct APIClient {
    static let defaultAddress = "http://127.0.0.1:8270"

    let address: String
    let token: String?
    let http: HTTPClient

    init(_ globals: GlobalOptions) {
        let environment = ProcessInfo.processInfo.environment
        var address = globals.address ?? environment["VAULTCTL_ADDR"] ?? APIClient.defaultAddress
        while address.hasSuffix("/") { address.removeLast() }
        self.address = address
        self.token = globals.token ?? environment["VAULTCTL_TOKEN"] ?? APIClient.tokenFromFile()
        self.http = HTTPClient(tlsCAFile: globals.caCertificate ?? environment["VAULTCTL_CACERT"])
    }

    /// Sends one JSON request and returns the decoded JSON object of a 2xx answer.
    @discardableResult
    func call(
        _ method: String, _ path: String, query: [(String, String)] = [], body: [String: Any]? = nil,
        timeoutSeconds: Double = 60
    ) throws(CLIError) -> [String: Any] {
        var headers: [(String, String)] = [("Accept", "application/json")]
        if let token {
            headers.append(("Authorization", "Bearer \(token)"))
        }
        var payload: HTTPClientRequest.Body = .none
        if let body {
            guard let data = try? JSONSerialization.data(withJSONObject: body, options: [.sortedKeys]) else {
                throw CLIError.failed("the request could not be encoded as JSON")
            }
            headers.append(("Content-Type", "application/json"))
            payload = .bytes(Array(data))
        }
        var request = HTTPClientRequest(method: method, url: url(path, query: query), headers: headers, body: payload)
        request.timeoutSeconds = timeoutSeconds
        let response: HTTPClientResponse
        do {
            response = try http.send(request)
        } catch {
            throw connectionError(error)
        }
        let object = (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any]
        guard (200..<300).contains(response.status) else {
            throw APIClient.statusError(response.status, object)
        }
        return object ?? [:]
    }

    /// Sends a GET and returns the raw answer of a 2xx response (for logs and other non-JSON bodies).
    func fetch(_ path: String, query: [(String, String)] = []) throws(CLIError) -> HTTPClientResponse {
        var headers: [(String, String)] = []
        if let token { headers.append(("Authorization", "Bearer \(token)")) }
        var request = HTTPClientRequest(method: "GET", url: url(path, query: query), headers: headers)
        request.timeoutSeconds = 60
        let response: HTTPClientResponse
        do {
            response = try http.send(request)
        } catch {
            throw connectionError(error)
        }
        guard (200..<300).contains(response.status) else {
            let object = (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any]
            throw APIClient.statusError(response.status, object)
        }
        return response
    }

    /// The full URL of an API path, with the query percent-encoded.
    func url(_ path: String, query: [(String, String)] = []) -> String {
        guard !query.isEmpty else { return address + path }
        let pairs = query.map { "\(APIClient.encode($0.0))=\(APIClient.encode($0.1))" }
        return address + path + "?" + pairs.joined(separator: "&")
    }

    /// Percent-encodes every segment of a secret or artifact path, keeping the `/` between them.
    static func encodePath(_ path: String) -> String {
        path.split(separator: "/", omittingEmptySubsequences: false).map { encode(String($0)) }.joined(separator: "/")
    }

    static func encode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }

    func connectionError(_ error: HTTPClientError) -> CLIError {
        switch error.code {
        case .connectionRefused, .cannotResolve:
            CLIError.failed(
                "cannot reach the server at \(address): \(error.reason)\n"
                    + "Is 'vaultctl server' running there? Set the address with --addr or VAULTCTL_ADDR.")
        case .timedOut:
            CLIError.failed("the server at \(address) did not answer in time: \(error.reason)")
        case .tls:
            CLIError.failed("TLS with \(address) failed: \(error.reason)\nPass the server's CA with --ca-cert.")
        case .invalidURL:
            CLIError(.usage, "the server address '\(address)' is not a valid http or https URL")
        default:
            CLIError.failed("the request to \(address) failed: \(error.reason)")
        }
    }

    /// Maps an error answer to a message and an exit code.
    static func statusError(_ status: Int, _ object: [String: Any]?) -> CLIError {
        let error = object?["error"] as? [String: Any]
        let code = error?["code"] as? String ?? "http_\(status)"
        let message = error?["message"] as? String ?? "the server answered HTTP \(status)"
        var text = "\(message) (\(code), HTTP \(status))"
        switch status {
        case 401:
            text += "\nSet a token with --token, VAULTCTL_TOKEN or the file ~/.vaultctl/token."
            return CLIError(.permissionDenied, text)
        case 403:
            return CLIError(.permissionDenied, text)
        case 404, 410:
            return CLIError(.notFound, text)
        default:
            return CLIError(.failed, text)
        }
    }

    private static func tokenFromFile() -> String? {
        let path = FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".vaultctl/token").path
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        let token = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return token.isEmpty ? nil : token
    }
}
