import ArtifactStore
import Foundation
import HTTPServer
import Vault

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
                throw HTTPRejection(ArtifactRoutes.tooLarge(limit: limit).response)
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
