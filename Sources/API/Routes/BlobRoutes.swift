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

extension BlobRoutes {
    /// Streams a raw body into an upload session and keeps it only if it matches the digest.
    ///
    /// Unchecked `Sendable` for the same reason as `ArtifactRoutes.UploadConsumer`.
    final class BlobConsumer: HTTPBodyConsumer, @unchecked Sendable {
        private let session: UploadSession
        private let expected: BlobDigest
        private let limit: Int64
        private var received: Int64 = 0

        init(session: UploadSession, expected: BlobDigest, limit: Int64) {
            self.session = session
            self.expected = expected
            self.limit = limit
        }

        func consume(_ chunk: UnsafeRawBufferPointer) throws(HTTPRejection) {
            received += Int64(chunk.count)
            guard received <= limit else {
                throw HTTPRejection(
                    APIError(413, ArtifactError.Code.tooLarge.name, "the upload is larger than \(limit) bytes").response
                )
            }
            do {
                try session.write(chunk)
            } catch {
                throw HTTPRejection(ArtifactRoutes.apiError(error).response)
            }
        }

        func finish() -> HTTPReply {
            let (session, expected) = (self.session, self.expected)
            return ArtifactRoutes.later { () throws(ArtifactError) in
                defer { session.discard() }
                try session.endFile()
                let blob = try session.commitBlob(expected: expected)
                return JSONResponse.make(
                    201, ["digest": blob.digest.description, "size": blob.size, "url": BlobRoutes.url(of: blob.digest)])
            }
        }

        func abort() {
            session.discard()
        }
    }
}

extension BlobRoutes {
    /// What a `Range` header asks of a blob (RFC 9110 §14): one range, or the whole blob.
    enum ByteRange: Equatable {
        case full
        /// Inclusive byte positions.
        case partial(start: UInt64, end: UInt64)
        case unsatisfiable

        /// Reads `bytes=a-b`, `bytes=a-` or `bytes=-n`. A header that cannot be read, another unit
        /// or several ranges ask for the whole blob, as the RFC lets a server answer.
        static func parse(_ header: String?, size: UInt64) -> ByteRange {
            guard let header, header.lowercased().hasPrefix("bytes=") else { return .full }
            let spec = header.dropFirst(6).trimmingCharacters(in: .whitespaces)
            guard !spec.contains(","), let dash = spec.firstIndex(of: "-") else { return .full }
            let first = spec[..<dash]
            let last = spec[spec.index(after: dash)...]
            guard first.allSatisfy(\.isASCIIDigit), last.allSatisfy(\.isASCIIDigit) else { return .full }
            if first.isEmpty {
                guard let count = UInt64(last) else { return .full }
                guard count > 0, size > 0 else { return .unsatisfiable }
                return .partial(start: size - min(count, size), end: size - 1)
            }
            guard let start = UInt64(first) else { return .full }
            let end = last.isEmpty ? UInt64.max : UInt64(last) ?? UInt64.max
            guard start <= end else { return .full }
            guard start < size else { return .unsatisfiable }
            return .partial(start: start, end: min(end, size - 1))
        }

        /// Whether an `If-None-Match` list names `etag` (weak comparison) or is `*`.
        static func matches(_ header: String?, etag: String) -> Bool {
            guard let header else { return false }
            for candidate in header.split(separator: ",") {
                var tag = candidate.trimmingCharacters(in: .whitespaces)
                if tag == "*" { return true }
                if tag.hasPrefix("W/") { tag.removeFirst(2) }
                if tag == etag { return true }
            }
            return false
        }
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool {
        isASCII && isWholeNumber
    }
}
