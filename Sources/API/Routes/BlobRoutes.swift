import ArtifactStore
import Foundation
import HTTPServer
import Vault

/// `/v1/blobs/sha256:{hex}`: content by digest, sent with sendfile, with ranges and validators;
/// and raw uploads verified against the digest in the path.
enum BlobRoutes {
    static func make(store: ArtifactStore, vault: Vault) -> [Route] {
        [
            Route("GET", "/v1/blobs/{digest}") { context throws(APIError) in
                try send(context, store: store, vault: vault, bodyless: false)
            },
            Route("HEAD", "/v1/blobs/{digest}") { context throws(APIError) in
                try send(context, store: store, vault: vault, bodyless: true)
            },
            Route(streaming: "PUT", "/v1/blobs/{digest}") { context throws(APIError) in
                try context.allowQuery([])
                let identity = try context.requireIdentity()
                let digest = try digest(context)
                try ArtifactRoutes.authorize(vault, identity, .write, "blobs/" + digest.description)
                try ArtifactRoutes.admit(context.request.head, store: store)
                let session = store.beginUpload()
                try ArtifactRoutes.call { () throws(ArtifactError) in try session.beginFile() }
                return BlobConsumer(session: session, expected: digest, limit: store.options.maxUploadBytes)
            },
        ]
    }

    /// The path a blob is downloaded from.
    static func url(of digest: BlobDigest) -> String {
        "/v1/blobs/" + digest.description
    }

    private static func digest(_ context: RequestContext) throws(APIError) -> BlobDigest {
        try ArtifactRoutes.call { () throws(ArtifactError) in try BlobDigest(parsing: context.parameter("digest")) }
    }

    private static func send(_ context: RequestContext, store: ArtifactStore, vault: Vault, bodyless: Bool)
        throws(APIError) -> HTTPResponse
    {
        try context.allowQuery([])
        let identity = try context.requireIdentity()
        let digest = try digest(context)
        try authorizeRead(digest, identity, store: store, vault: vault)
        let headers = context.request.head.headers
        var response = HTTPResponse(status: 200, headers: validators(digest))
        let file: (descriptor: Int32, size: Int64)? =
            digest == .empty ? nil : try ArtifactRoutes.call { () throws(ArtifactError) in try store.openBlob(digest) }
        let size = UInt64(file?.size ?? 0)
        var keepsDescriptor = false
        defer {
            if let file, !keepsDescriptor { close(file.descriptor) }
        }
        if ByteRange.matches(headers["If-None-Match"], etag: etag(digest)) {
            response.status = 304
            return response
        }
        var range = ByteRange.parse(headers["Range"], size: size)
        if let condition = headers["If-Range"], condition != etag(digest) {
            range = .full
        }
        var offset: UInt64 = 0
        var length = size
        switch range {
        case .full:
            break
        case .partial(let start, let end):
            response.status = 206
            response.headers.add("Content-Range", "bytes \(start)-\(end)/\(size)")
            (offset, length) = (start, end - start + 1)
        case .unsatisfiable:
            var refusal = APIError(416, "range_not_satisfiable", "the range is outside the blob's \(size) bytes")
                .response
            refusal.headers.add("Content-Range", "bytes */\(size)")
            return refusal
        }
        if bodyless {
            response.body = .headOnly(length: length)
        } else if let file, length > 0 {
            keepsDescriptor = true
            response.body = .file(descriptor: file.descriptor, offset: offset, length: length)
        }
        return response
    }

    /// A blob may be read by whoever may read an artifact made of it; a blob no live artifact
    /// uses needs `read` on `blobs/sha256:<hex>`.
    private static func authorizeRead(
        _ digest: BlobDigest, _ identity: TokenIdentity, store: ArtifactStore, vault: Vault
    )
        throws(APIError)
    {
        let names = try ArtifactRoutes.call { () throws(ArtifactError) in
            try store.artifacts(withDigest: digest).map(\.name)
        }
        let paths = names.isEmpty ? ["blobs/" + digest.description] : Set(names).sorted().map { "artifacts/" + $0 }
        for path in paths where (try? vault.authorize(identity, .read, on: path)) != nil {
            return
        }
        throw APIError(403, "forbidden", "the token may not read \(digest)")
    }

    private static func etag(_ digest: BlobDigest) -> String {
        "\"\(digest)\""
    }

    /// Headers every answer about a blob carries: the digest as ETag and as RFC 3230 `Digest`.
    private static func validators(_ digest: BlobDigest) -> HTTPHeaders {
        var headers = HTTPHeaders()
        headers.add("Content-Type", "application/octet-stream")
        headers.add("ETag", etag(digest))
        headers.add("Digest", "sha-256=" + Data(digest.bytes).base64EncodedString())
        headers.add("Accept-Ranges", "bytes")
        // The content behind a digest never changes; only the token decides who sees it.
        headers.add("Cache-Control", "private, max-age=31536000, immutable")
        return headers
    }
}
