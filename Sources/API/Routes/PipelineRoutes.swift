import CIBridge
import Foundation
import HTTPServer
import Vault

/// Pipelines and jobs as people see them: listing, details, logs, cancelling and manual runs.
enum PipelineRoutes {
    static func make(ci: CIController, vault: Vault) -> [Route] {
        [
            Route("GET", "/v1/pipelines") { context throws(APIError) in
                try context.allowQuery(["repo", "limit"])
                _ = try VaultCalls.authorize(vault, context, .read, "ci/pipelines")
                let limit = Int(try context.queryInteger("limit", in: 1...500) ?? 50)
                let repository = context.query("repo")
                let all = try CICalls.run { () throws(CIError) in try ci.pipelines(repository: repository, limit: limit)
                }
                return JSONResponse.make(200, ["pipelines": all.map { json($0) }])
            },
            Route("POST", "/v1/pipelines") { context throws(APIError) in
                try context.allowQuery([])
                _ = try VaultCalls.authorize(vault, context, .write, "ci/pipelines")
                let body = try JSONBody(context.body, allowed: ["repo", "commit", "ref"])
                let repository = try body.string("repo")
                let commit = try body.string("commit")
                let ref = try body.optionalString("ref")
                let id = try CICalls.run { () throws(CIError) in
                    try ci.runPipeline(repository: repository, commit: commit, ref: ref)
                }
                return JSONResponse.make(202, ["pipeline": id, "status": "accepted"])
            },
            Route("GET", "/v1/pipelines/{id}") { context throws(APIError) in
                try context.allowQuery([])
                _ = try VaultCalls.authorize(vault, context, .read, "ci/pipelines")
                let id = try number(context.parameter("id"), "pipeline")
                let found = try CICalls.run { () throws(CIError) in try ci.pipeline(id) }
                var object = json(found.0)
                object["jobs"] = found.1.map { json($0) }
                let statuses = try CICalls.run { () throws(CIError) in try ci.statuses(ofPipeline: id) }
                object["statuses"] = statuses.map { status -> [String: Any] in
                    [
                        "context": status.context, "state": status.state.rawValue, "description": status.description,
                        "delivered_at": JSONResponse.time(status.deliveredAt), "attempts": status.attempts,
                        "last_error": status.lastError ?? NSNull(),
                    ]
                }
                return JSONResponse.make(200, object)
            },
            Route("POST", "/v1/pipelines/{id}/cancel") { context throws(APIError) in
                try context.allowQuery([])
                _ = try JSONBody(context.body, allowed: [])
                _ = try VaultCalls.authorize(vault, context, .write, "ci/pipelines")
                let id = try number(context.parameter("id"), "pipeline")
                try CICalls.run { () throws(CIError) in try ci.cancelPipeline(id) }
                let found = try CICalls.run { () throws(CIError) in try ci.pipeline(id) }
                return JSONResponse.make(200, json(found.0))
            },
            Route("GET", "/v1/jobs/{id}") { context throws(APIError) in
                try context.allowQuery([])
                _ = try VaultCalls.authorize(vault, context, .read, "ci/pipelines")
                let id = try number(context.parameter("id"), "job")
                return JSONResponse.make(200, json(try CICalls.run { () throws(CIError) in try ci.job(id) }))
            },
            Route("GET", "/v1/jobs/{id}/log") { context throws(APIError) in
                try context.allowQuery(["offset"])
                _ = try VaultCalls.authorize(vault, context, .read, "ci/pipelines")
                let id = try number(context.parameter("id"), "job")
                let offset = try context.queryInteger("offset", in: 0...Int64.max) ?? 0
                let job = try CICalls.run { () throws(CIError) in try ci.job(id) }
                let bytes = try CICalls.run { () throws(CIError) in try ci.log(jobID: id, from: offset) }
                var headers = HTTPHeaders()
                headers.add("Content-Type", "text/plain; charset=utf-8")
                headers.add("Cache-Control", "no-store")
                headers.add("X-Log-Size", "\(job.logSize)")
                headers.add("X-Job-State", job.state.rawValue)
                return HTTPResponse(status: 200, headers: headers, body: .bytes(bytes))
            },
        ]
    }

    static func json(_ pipeline: PipelineSummary) -> [String: Any] {
        [
            "id": pipeline.id, "repo": pipeline.repository, "ref": pipeline.ref, "commit": pipeline.commit,
            "state": pipeline.state.rawValue, "reason": pipeline.reason ?? NSNull(),
            "created_at": JSONResponse.time(pipeline.createdAt), "finished_at": JSONResponse.time(pipeline.finishedAt),
        ]
    }

    static func json(_ job: JobSummary) -> [String: Any] {
        let cleanup: Any = job.cleanup.flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) } ?? NSNull()
        return [
            "id": job.id, "pipeline": job.pipelineID, "name": job.name, "state": job.state.rawValue,
            "attempt": job.attempt, "epoch": job.epoch, "runner": job.runnerID ?? NSNull(),
            "exit_code": job.exitCode ?? NSNull(), "reason": job.reason ?? NSNull(),
            "started_at": JSONResponse.time(job.startedAt), "finished_at": JSONResponse.time(job.finishedAt),
            "log_size": job.logSize, "cleanup": cleanup, "cancel_requested": job.cancelRequested,
        ]
    }

    private static func number(_ text: String, _ what: String) throws(APIError) -> Int64 {
        guard let id = Int64(text), id > 0 else {
            throw APIError.badRequest("a \(what) id is a positive whole number")
        }
        return id
    }
}
