import CIBridge
import Foundation
import HTTPServer
import Vault

/// Runner registration and the job routes runners call with their runner token.
enum RunnerRoutes {
    /// The largest log chunk one `PATCH /v1/jobs/{id}/log` may carry.
    static let logChunkLimit = 1 << 20

    static func make(ci: CIController, vault: Vault) -> [Route] {
        [
            Route("POST", "/v1/runners/tokens") { context throws(APIError) in
                try context.allowQuery([])
                _ = try JSONBody(context.body, allowed: [])
                _ = try VaultCalls.authorize(vault, context, .admin, "ci/runners")
                let token = try CICalls.run { () throws(CIError) in try ci.createRegistrationToken() }
                return JSONResponse.make(201, ["token": token])
            },
            Route("POST", "/v1/runners/register", access: .open) { context throws(APIError) in
                try context.allowQuery([])
                let body = try JSONBody(context.body, allowed: ["token", "name", "labels", "capacity"])
                let token = try body.string("token")
                let name = try body.string("name")
                let labels = try VaultCalls.strings(VaultCalls.object(context.body), "labels") ?? []
                let capacity = Int(try body.optionalInteger("capacity", in: 1...64) ?? 1)
                let runner = try CICalls.run { () throws(CIError) in
                    try ci.registerRunner(registrationToken: token, name: name, labels: labels, capacity: capacity)
                }
                return JSONResponse.make(201, ["id": runner.id, "token": runner.token])
            },
            Route(replying: "GET", "/v1/jobs", access: .open) { context throws(APIError) in
                try context.allowQuery(["wait"])
                let runner = try authenticate(context, ci: ci)
                let wait = Int(try context.queryInteger("wait", in: 0...3600) ?? 0)
                return .later { complete in
                    ci.waitForJob(for: runner, seconds: wait) { result in
                        switch result {
                        case .success(let job?):
                            var object = json(job)
                            object["lease_s"] = ci.options.jobLeaseSeconds
                            complete(JSONResponse.make(200, object))
                        case .success(nil): complete(HTTPResponse(status: 204))
                        case .failure(let error): complete(APIError(error).response)
                        }
                    }
                }
            },
            Route("POST", "/v1/jobs/{id}/heartbeat", access: .open) { context throws(APIError) in
                let (runner, id, body) = try jobCall(context, ci: ci, allowed: ["epoch"])
                let epoch = try body.integer("epoch", in: 0...Int64.max)
                let cancel = try CICalls.run { () throws(CIError) in
                    try ci.heartbeat(jobID: id, epoch: epoch, runner: runner)
                }
                return JSONResponse.make(200, ["cancel": cancel])
            },
            Route("PATCH", "/v1/jobs/{id}/log", access: .open, bodyLimit: logChunkLimit) { context throws(APIError) in
                try context.allowQuery(["epoch"])
                let runner = try authenticate(context, ci: ci)
                let id = try jobID(context)
                guard let epoch = try context.queryInteger("epoch", in: 0...Int64.max) else {
                    throw APIError.badRequest("the query parameter 'epoch' is required")
                }
                let offset = try rangeStart(context, length: context.body.count)
                return appendLog(ci, jobID: id, epoch: epoch, runner: runner, offset: offset, bytes: context.body)
            },
            Route("POST", "/v1/jobs/{id}/complete", access: .open) { context throws(APIError) in
                let (runner, id, body) = try jobCall(
                    context, ci: ci, allowed: ["epoch", "status", "exit_code", "cleanup"])
                let epoch = try body.integer("epoch", in: 0...Int64.max)
                guard let state = JobState(rawValue: try body.string("status")),
                    CIController.reportableStates.contains(state)
                else {
                    throw APIError.invalidJSON("status is one of success, failure, cancelled, timed_out")
                }
                let exitCode = try body.optionalInteger("exit_code", in: -1...255).map(Int.init)
                let cleanup = VaultCalls.object(context.body)["cleanup"].flatMap { value -> String? in
                    guard value is [String: Any] else { return nil }
                    return String(decoding: JSONWriter.encode(value), as: UTF8.self)
                }
                try CICalls.run { () throws(CIError) in
                    try ci.complete(
                        jobID: id, epoch: epoch, runner: runner, state: state, exitCode: exitCode, cleanup: cleanup)
                }
                return JSONResponse.make(200, ["id": id, "status": state.rawValue])
            },
        ]
    }

    /// Appends a log chunk; a gap answers 416 with the server's offset, in the body and in `Content-Range`.
    private static func appendLog(
        _ ci: CIController, jobID: Int64, epoch: Int64, runner: RunnerIdentity, offset: Int64, bytes: [UInt8]
    ) -> HTTPResponse {
        let size: Int64
        do {
            size = try ci.appendLog(jobID: jobID, epoch: epoch, runner: runner, offset: offset, bytes: bytes)
        } catch {
            guard let held = error.offset else { return APIError(error).response }
            var response = JSONResponse.make(
                416, ["error": ["code": error.code.name, "message": error.reason], "offset": held])
            response.headers.add("Content-Range", "bytes */\(held)")
            return response
        }
        return JSONResponse.make(200, ["size": size])
    }

    /// The claimed job as the runner receives it.
    static func json(_ job: ClaimedJob) -> [String: Any] {
        [
            "id": job.id, "pipeline": job.pipelineID, "name": job.name, "attempt": job.attempt, "epoch": job.epoch,
            "job_token": job.jobToken, "repo": ["name": job.repository, "clone_url": job.cloneURL],
            "commit": job.commit, "ref": job.ref, "env": job.spec.env, "secrets": job.spec.secrets,
            "steps": encoded(job.spec.steps), "artifacts": encoded(job.spec.artifacts),
            "timeout_s": job.spec.timeoutSeconds,
        ]
    }

    private static func encoded<T: Encodable>(_ value: T) -> Any {
        guard let data = try? JSONEncoder().encode(value) else { return NSNull() }
        return (try? JSONSerialization.jsonObject(with: data)) ?? NSNull()
    }

    private static func authenticate(_ context: RequestContext, ci: CIController) throws(APIError) -> RunnerIdentity {
        guard let header = context.request.head.headers["Authorization"], header.hasPrefix("Bearer ") else {
            throw APIError(
                401, "unauthenticated", "job routes need the runner token as 'Authorization: Bearer <token>'")
        }
        let token = String(header.dropFirst(7))
        return try CICalls.run { () throws(CIError) in try ci.authenticateRunner(token: token) }
    }

    private static func jobID(_ context: RequestContext) throws(APIError) -> Int64 {
        guard let id = Int64(context.parameter("id")), id > 0 else {
            throw APIError.badRequest("a job id is a positive whole number")
        }
        return id
    }

    private static func jobCall(_ context: RequestContext, ci: CIController, allowed: Set<String>) throws(APIError)
        -> (RunnerIdentity, Int64, JSONBody)
    {
        try context.allowQuery([])
        let runner = try authenticate(context, ci: ci)
        return (runner, try jobID(context), try JSONBody(context.body, allowed: allowed))
    }

    /// The first byte of `Content-Range: bytes START-END/*`, checked against the body's length.
    private static func rangeStart(_ context: RequestContext, length: Int) throws(APIError) -> Int64 {
        guard let header = context.request.head.headers["Content-Range"], header.hasPrefix("bytes ") else {
            throw APIError.badRequest("a log append needs 'Content-Range: bytes START-END/*'")
        }
        let range = header.dropFirst(6).split(separator: "/").first ?? ""
        let bounds = range.split(separator: "-")
        guard bounds.count == 2, let start = Int64(bounds[0]), let end = Int64(bounds[1]), start >= 0,
            end - start + 1 == Int64(length)
        else {
            throw APIError.badRequest("Content-Range must be 'bytes START-END/*' matching the body's length")
        }
        return start
    }
}
