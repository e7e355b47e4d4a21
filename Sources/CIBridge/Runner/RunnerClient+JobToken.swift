import Foundation
import HTTPClient

/// One leased secret: the lease to revoke and the value to hand to the steps.
struct SecretLease: Sendable {
    let id: String
    let path: String
    let value: String
}

/// One artifact the server stored.
struct UploadedArtifact: Sendable, Equatable {
    let name: String
    let digest: String
}

extension RunnerClient {
    /// Leases `paths` with the job token for `ttlSeconds`.
    func lease(_ paths: [String], ttlSeconds: Int64, jobToken: String) throws(CIError) -> [SecretLease] {
        let body: [String: Any] = ["secrets": paths, "ttl": "\(ttlSeconds)s"]
        let answer = try call("POST", "/v1/leases", body: body, token: jobToken)
        guard answer.status == 200 || answer.status == 201, let items = answer.object["leases"] as? [[String: Any]]
        else {
            throw RunnerClient.failure(answer, "leasing the job's secrets")
        }
        var leases: [SecretLease] = []
        for item in items {
            guard let id = item["id"] as? String, let path = item["path"] as? String,
                let value = item["value"] as? String
            else {
                throw CIError(.unavailable, "the server's lease answer is missing an id, a path or a value")
            }
            leases.append(SecretLease(id: id, path: path, value: value))
        }
        return leases
    }

    /// Revokes a lease with the job token; a lease that is already gone (410) counts as revoked.
    func revokeLease(_ id: String, jobToken: String) throws(CIError) {
        let path = "/v1/leases/" + (id.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? id)
        let answer = try call("DELETE", path, token: jobToken)
        guard answer.status == 200 || answer.status == 204 || answer.status == 410 else {
            throw RunnerClient.failure(answer, "revoking a lease")
        }
    }

    /// Uploads `files` as one multipart form tied to the job's pipeline and job.
    func uploadArtifacts(
        _ files: [(path: String, filename: String)], rule: ArtifactRule, job: RunnerJob
    ) throws(CIError) -> [UploadedArtifact] {
        var fields: [(name: String, value: String)] = [("pipeline", "\(job.pipelineID)"), ("job", "\(job.id)")]
        if let name = rule.name { fields.append(("name", name)) }
        if let expiry = rule.expiresInSeconds { fields.append(("expires_in", "\(expiry)s")) }
        let response: HTTPClientResponse
        do {
            response = try http.uploadMultipart(
                url: baseURL + "/v1/artifacts", headers: [("Authorization", "Bearer \(job.jobToken)")],
                fields: fields, files: files.map { ("file", $0.path, $0.filename) }, timeoutSeconds: 3_600)
        } catch {
            throw CIError(.unavailable, "uploading artifacts to \(baseURL) failed: \(error.reason)")
        }
        let answer = RunnerClient.answer(response)
        guard answer.status == 200 || answer.status == 201 else {
            throw RunnerClient.failure(answer, "uploading artifacts")
        }
        let items = answer.object["artifacts"] as? [[String: Any]] ?? []
        return items.map { item in
            UploadedArtifact(name: item["name"] as? String ?? "?", digest: item["digest"] as? String ?? "?")
        }
    }
}
