import Foundation
import HTTPClient

/// The runner's side of the job routes: polling, heartbeats, log appends and completion with the
/// runner token; leases and artifact uploads with a job's own token.
///
/// Calls block the calling thread. Errors are `CIError`s: `.staleEpoch` for a 409 (the attempt is
/// gone), `.unauthenticated` for 401 and 403, `.unavailable` for an unreachable server or a 5xx.
/// No token ever appears in an error or a log line.
public struct RunnerClient: Sendable {
    /// The server's base URL without a trailing slash.
    public let baseURL: String
    let runnerToken: String
    let http: HTTPClient

    /// A client for the server at `url`, authenticating job calls with `runnerToken`.
    public init(url: String, runnerToken: String, http: HTTPClient = HTTPClient(userAgent: "vaultctl-runner")) {
        var base = url
        while base.hasSuffix("/") { base.removeLast() }
        self.baseURL = base
        self.runnerToken = runnerToken
        self.http = http
    }

    /// Registers a runner with a registration token; returns its id and its runner token.
    public static func register(
        url: String, registrationToken: String, name: String, labels: [String], capacity: Int,
        http: HTTPClient = HTTPClient(userAgent: "vaultctl-runner")
    ) throws(CIError) -> (id: String, token: String) {
        let client = RunnerClient(url: url, runnerToken: "", http: http)
        let body: [String: Any] = ["token": registrationToken, "name": name, "labels": labels, "capacity": capacity]
        let answer = try client.call("POST", "/v1/runners/register", body: body, token: nil)
        guard answer.status == 201, let id = answer.object["id"] as? String,
            let token = answer.object["token"] as? String
        else {
            throw RunnerClient.failure(answer, "registering the runner")
        }
        return (id, token)
    }

    /// Long-polls for a job for up to `waitSeconds`; nil when none came.
    func poll(waitSeconds: Int) throws(CIError) -> RunnerJob? {
        let answer = try call(
            "GET", "/v1/jobs?wait=\(waitSeconds)", token: runnerToken, timeout: Double(waitSeconds) + 30)
        switch answer.status {
        case 204:
            return nil
        case 200:
            do {
                return try JSONDecoder().decode(RunnerJob.self, from: Data(answer.body))
            } catch {
                throw CIError(.invalidInput, "the server sent a job this runner cannot read: \(error)")
            }
        default:
            throw RunnerClient.failure(answer, "polling for a job")
        }
    }

    /// Renews the claim on a job; returns whether the server asks for the job to be cancelled.
    func heartbeat(jobID: Int64, epoch: Int64) throws(CIError) -> Bool {
        let answer = try call("POST", "/v1/jobs/\(jobID)/heartbeat", body: ["epoch": epoch], token: runnerToken)
        guard answer.status == 200 else { throw RunnerClient.failure(answer, "sending a heartbeat") }
        return answer.object["cancel"] as? Bool ?? false
    }

    /// What the server said to a log append.
    enum LogAppend: Equatable {
        /// The log now holds this many bytes.
        case stored(size: Int64)
        /// The append would leave a gap: the server holds this many bytes.
        case gap(serverOffset: Int64)
    }

    /// Appends `bytes` to the job's log at `offset`.
    func appendLog(jobID: Int64, epoch: Int64, offset: Int64, bytes: [UInt8]) throws(CIError) -> LogAppend {
        var request = HTTPClientRequest(
            method: "PATCH", url: baseURL + "/v1/jobs/\(jobID)/log?epoch=\(epoch)",
            headers: [
                ("Authorization", "Bearer \(runnerToken)"), ("Content-Type", "application/octet-stream"),
                ("Content-Range", "bytes \(offset)-\(offset + Int64(bytes.count) - 1)/*"),
            ], body: .bytes(bytes))
        request.timeoutSeconds = 30
        let answer = try send(request)
        switch answer.status {
        case 200:
            guard let size = (answer.object["size"] as? NSNumber)?.int64Value else {
                throw CIError(.unavailable, "the server's answer to a log append has no size")
            }
            return .stored(size: size)
        case 416:
            guard let held = (answer.object["offset"] as? NSNumber)?.int64Value else {
                throw CIError(.unavailable, "the server refused a log append without saying its offset")
            }
            return .gap(serverOffset: held)
        default:
            throw RunnerClient.failure(answer, "appending to the job log")
        }
    }

    /// Reports the attempt's end with its cleanup receipt.
    func complete(jobID: Int64, epoch: Int64, status: JobState, exitCode: Int?, receipt: CleanupReceipt)
        throws(CIError)
    {
        var body: [String: Any] = ["epoch": epoch, "status": status.rawValue, "cleanup": receipt.json]
        if let exitCode { body["exit_code"] = exitCode }
        let answer = try call("POST", "/v1/jobs/\(jobID)/complete", body: body, token: runnerToken)
        guard answer.status == 200 else { throw RunnerClient.failure(answer, "completing the job") }
    }
}

extension RunnerClient {
    /// A decoded answer: the status, the raw body and the body as a JSON object (empty when not one).
    struct Answer {
        let status: Int
        let body: [UInt8]
        let object: [String: Any]
    }

    /// Sends a JSON request with `token` as the bearer.
    func call(
        _ method: String, _ path: String, body: [String: Any]? = nil, token: String?, timeout: Double = 60
    ) throws(CIError) -> Answer {
        var headers: [(String, String)] = [("Accept", "application/json")]
        if let token { headers.append(("Authorization", "Bearer \(token)")) }
        var payload = HTTPClientRequest.Body.none
        if let body {
            guard let data = try? JSONSerialization.data(withJSONObject: body) else {
                throw CIError(.invalidInput, "a runner request could not be encoded")
            }
            headers.append(("Content-Type", "application/json"))
            payload = .bytes(Array(data))
        }
        var request = HTTPClientRequest(method: method, url: baseURL + path, headers: headers, body: payload)
        request.timeoutSeconds = timeout
        return try send(request)
    }

    func send(_ request: HTTPClientRequest) throws(CIError) -> Answer {
        do {
            return RunnerClient.answer(try http.send(request))
        } catch {
            throw CIError(.unavailable, "the server at \(baseURL) cannot be reached: \(error.reason)")
        }
    }

    static func answer(_ response: HTTPClientResponse) -> Answer {
        let object = (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any]
        return Answer(status: response.status, body: response.body, object: object ?? [:])
    }

    /// The error for an unexpected answer, with the server's own message (which never holds a secret).
    static func failure(_ answer: Answer, _ what: String) -> CIError {
        let error = answer.object["error"] as? [String: Any]
        let message = error?["message"] as? String ?? "no message"
        let reason = "\(what) failed: HTTP \(answer.status) (\(message))"
        switch answer.status {
        case 401, 403: return CIError(.unauthenticated, reason)
        case 404, 410: return CIError(.notFound, reason)
        case 409: return CIError(.staleEpoch, reason)
        case 400..<500: return CIError(.invalidInput, reason)
        default: return CIError(.unavailable, reason)
        }
    }
}
