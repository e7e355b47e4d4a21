import ArtifactStore
import Dispatch
import Foundation
import HTTPServer
import Timekeeping
import Vault

/// `/v1/artifacts`: multipart uploads, the index, and the store's maintenance (gc, verify).
///
/// Uploads stream: the caller is authenticated from the head, the declared length checked against
/// the limits, then the form parsed as it arrives, each file hashed into a temporary file.
enum ArtifactRoutes {
    /// Where slow store work (fsync, rename, the index write, gc, verify) runs, so that
    /// libmicrohttpd's worker threads keep serving other connections meanwhile.
    static let queue = DispatchQueue(label: "vaultctl.api.artifacts", qos: .userInitiated, attributes: .concurrent)

    /// The artifact routes and, with them, the blob routes of `BlobRoutes`.
    static func make(store: ArtifactStore, vault: Vault) -> [Route] {
        BlobRoutes.make(store: store, vault: vault) + [
            Route(streaming: "POST", "/v1/artifacts") { context throws(APIError) in
                try context.allowQuery([])
                let identity = try context.requireIdentity()
                try admit(context.request.head, store: store)
                let boundary: String
                do throws(MultipartError) {
                    boundary = try MultipartParser.boundary(
                        fromContentType: context.request.head.headers["Content-Type"])
                } catch {
                    throw APIError(415, "unsupported_media_type", error.reason)
                }
                return UploadConsumer(
                    session: store.beginUpload(), boundary: boundary, limit: store.options.maxUploadBytes
                ) { (upload, session) throws(APIError) in
                    for name in try call({ () throws(ArtifactError) in try session.names(for: upload) }) {
                        try authorize(vault, identity, .write, "artifacts/" + name)
                    }
                }
            },
            Route("GET", "/v1/artifacts") { context throws(APIError) in
                try context.allowQuery(["name", "pipeline", "job", "expired", "limit"])
                let identity = try context.requireIdentity()
                let name = context.query("name")
                try authorize(vault, identity, .list, "artifacts/" + (name ?? "*"))
                let limit = try context.queryInteger("limit", in: 1...1000)
                let query = ArtifactQuery(
                    name: name, pipeline: context.query("pipeline"), job: context.query("job"),
                    includeExpired: try flag(context, "expired"), limit: Int(limit ?? 100))
                let artifacts = try call { () throws(ArtifactError) in try store.artifacts(matching: query) }
                return JSONResponse.make(200, ["artifacts": artifacts.map(json)])
            },
            Route(replying: "POST", "/v1/artifacts/gc") { context throws(APIError) in
                try context.allowQuery(["dry_run"])
                try authorize(vault, context.requireIdentity(), .admin, "artifacts")
                _ = try JSONBody(context.body, allowed: [])
                let dryRun = try flag(context, "dry_run")
                return later { () throws(ArtifactError) in
                    JSONResponse.make(200, json(try store.collectGarbage(dryRun: dryRun)))
                }
            },
            Route(replying: "POST", "/v1/artifacts/verify") { context throws(APIError) in
                try context.allowQuery([])
                try authorize(vault, context.requireIdentity(), .admin, "artifacts")
                _ = try JSONBody(context.body, allowed: [])
                return later { () throws(ArtifactError) in JSONResponse.make(200, json(try store.verify())) }
            },
            Route("GET", "/v1/artifacts/{ref+}") { context throws(APIError) in
                try context.allowQuery([])
                let identity = try context.requireIdentity()
                let artifact = try lookUp(context.parameter("ref"), store: store) { name throws(APIError) in
                    try authorize(vault, identity, .read, "artifacts/" + name)
                }
                try authorize(vault, identity, .read, "artifacts/" + artifact.name)
                return JSONResponse.make(200, json(artifact))
            },
            Route("DELETE", "/v1/artifacts/{id}") { context throws(APIError) in
                try context.allowQuery([])
                let identity = try context.requireIdentity()
                let id = context.parameter("id")
                let artifact = try call { () throws(ArtifactError) in try store.artifact(id: id, includingExpired: true)
                }
                try authorize(vault, identity, .delete, "artifacts/" + artifact.name)
                try call { () throws(ArtifactError) in try store.deleteArtifact(id: id) }
                return JSONResponse.make(200, ["id": id, "deleted": true])
            },
        ]
    }

    /// A `true`/`false` query field; absent is false.
    static func flag(_ context: RequestContext, _ name: String) throws(APIError) -> Bool {
        switch context.query(name) {
        case nil, "false": return false
        case "true", "": return true
        default: throw APIError.badRequest("the query parameter '\(name)' is true or false")
        }
    }

    /// The answer to an upload over `limit` bytes, whether the head said so or the body showed it.
    static func tooLarge(limit: Int64) -> APIError {
        APIError(413, ArtifactError.Code.tooLarge.name, "the upload is larger than \(limit) bytes")
    }

    /// Refuses, from the head alone, a body that is larger than allowed or would not fit the disk.
    static func admit(_ head: HTTPRequestHead, store: ArtifactStore) throws(APIError) {
        guard let length = head.contentLength else { return }
        guard length <= UInt64(store.options.maxUploadBytes) else {
            throw tooLarge(limit: store.options.maxUploadBytes)
        }
        if let room = store.bytesAboveFloor(), Int64(length) > room {
            throw APIError(
                507, ArtifactError.Code.insufficientStorage.name,
                "the upload would take the disk below its free-space floor")
        }
    }

    /// An artifact by id (24 hex digits) or else the newest by name; `authorizeName` runs before a
    /// name is looked up, so a caller learns nothing about names it may not read.
    private static func lookUp(
        _ reference: String, store: ArtifactStore, authorizeName: (String) throws(APIError) -> Void
    ) throws(APIError) -> Artifact {
        let looksLikeID =
            reference.utf8.count == 24
            && reference.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
        if looksLikeID {
            do {
                return try store.artifact(id: reference)
            } catch  where error.code != .notFound {
                throw ArtifactRoutes.apiError(error)
            } catch {}
        }
        try authorizeName(reference)
        return try call { () throws(ArtifactError) in try store.newestArtifact(named: reference) }
    }

    /// Checks `capability` on `path` for the caller.
    static func authorize(_ vault: Vault, _ identity: TokenIdentity, _ capability: Capability, _ path: String)
        throws(APIError)
    {
        do {
            try vault.authorize(identity, capability, on: path)
        } catch {
            throw ArtifactRoutes.apiError(error)
        }
    }

    /// Runs a store call, mapping its error.
    @discardableResult
    static func call<T>(_ body: () throws(ArtifactError) -> T) throws(APIError) -> T {
        do {
            return try body()
        } catch {
            throw ArtifactRoutes.apiError(error)
        }
    }

    /// Runs slow store work on `queue` and answers when it is done.
    static func later(_ work: @escaping @Sendable () throws(ArtifactError) -> HTTPResponse) -> HTTPReply {
        .later { complete in
            queue.async {
                do {
                    complete(try work())
                } catch {
                    complete(ArtifactRoutes.apiError(error).response)
                }
            }
        }
    }

    static func json(_ artifact: Artifact) -> [String: Any] {
        [
            "id": artifact.id, "name": artifact.name, "digest": artifact.digest.description, "size": artifact.size,
            "url": BlobRoutes.url(of: artifact.digest), "filename": artifact.filename ?? NSNull(),
            "content_type": artifact.contentType ?? NSNull(), "pipeline": artifact.pipeline ?? NSNull(),
            "job": artifact.job ?? NSNull(), "created_at": JSONResponse.time(artifact.createdAt),
            "expires_at": JSONResponse.time(artifact.expiresAt),
        ]
    }

    static func json(_ report: CollectionReport) -> [String: Any] {
        [
            "dry_run": report.isDryRun, "removed_blobs": report.removedBlobs.map(\.description),
            "removed_stray_files": report.removedStrayFiles, "freed_bytes": report.freedBytes,
            "removed_expired_artifacts": report.removedExpiredArtifacts,
        ]
    }

    static func json(_ report: VerificationReport) -> [String: Any] {
        [
            "healthy": report.isHealthy, "checked_blobs": report.checkedBlobs, "checked_bytes": report.checkedBytes,
            "missing_files": report.missingFiles.map(\.description),
            "unrecorded_files": report.unrecordedFiles.map(\.description),
            "corrupt_blobs": report.corruptBlobs.map(\.description), "stray_files": report.strayFiles,
        ]
    }
}
