import ArtifactStore
import Dispatch
import Foundation
import HTTPServer
import Timekeeping
import Vault

extension ArtifactRoutes {
    /// Feeds a multipart body into an upload session: `file` parts become files, the other fields
    /// are kept (they may come before or after the files), and `finish` commits in the background.
    ///
    /// Unchecked `Sendable`: libmicrohttpd delivers `consume`, `finish` and `abort` of one request
    /// one call at a time, like `RequestState`; the background commit touches only the session.
    final class UploadConsumer: HTTPBodyConsumer, @unchecked Sendable {
        typealias Authorizer = @Sendable (ArtifactUpload, UploadSession) throws(APIError) -> Void

        static let fieldNames: Set<String> = ["name", "pipeline", "job", "expires_in"]
        static let maxFieldBytes = 1024

        private enum Part {
            case none
            case file
            case field(String)
        }

        private let session: UploadSession
        private let limit: Int64
        private let authorize: Authorizer
        private var parser: MultipartParser
        private var part = Part.none
        private var fields: [String: [UInt8]] = [:]
        private var received: Int64 = 0

        init(session: UploadSession, boundary: String, limit: Int64, authorize: @escaping Authorizer) {
            self.session = session
            self.parser = MultipartParser(boundary: boundary)
            self.limit = limit
            self.authorize = authorize
        }

        func consume(_ chunk: UnsafeRawBufferPointer) throws(HTTPRejection) {
            received += Int64(chunk.count)
            guard received <= limit else {
                throw HTTPRejection(ArtifactRoutes.tooLarge(limit: limit).response)
            }
            do {
                try parser.parse(chunk) { event in try handle(event) }
            } catch {
                throw HTTPRejection(ArtifactRoutes.apiError(error).response)
            }
        }

        func finish() -> HTTPReply {
            let upload: ArtifactUpload
            do {
                try parser.finish()
                upload = try uploadFields()
                try authorize(upload, session)
            } catch {
                session.discard()
                return .now(ArtifactRoutes.apiError(error).response)
            }
            let session = self.session
            return ArtifactRoutes.later { () throws(ArtifactError) in
                let artifacts = try session.commit(upload)
                return JSONResponse.make(201, ["artifacts": artifacts.map(ArtifactRoutes.json)])
            }
        }

        func abort() {
            session.discard()
        }

        private func handle(_ event: MultipartParser.Event) throws {
            switch (event, part) {
            case (.partBegin(let head), _) where head.name == "file":
                try session.beginFile(filename: head.filename, contentType: head.contentType)
                part = .file
            case (.partBegin(let head), _):
                guard UploadConsumer.fieldNames.contains(head.name) else {
                    let known = (["file"] + UploadConsumer.fieldNames.sorted()).joined(separator: ", ")
                    throw APIError.badRequest("unknown form field '\(head.name.prefix(40))'; known fields: \(known)")
                }
                guard fields[head.name] == nil else {
                    throw APIError.badRequest("the form field '\(head.name)' is given twice")
                }
                fields[head.name] = []
                part = .field(head.name)
            case (.partData(let bytes), .file):
                try session.write(bytes)
            case (.partData(let bytes), .field(let name)):
                guard (fields[name]?.count ?? 0) + bytes.count <= UploadConsumer.maxFieldBytes else {
                    throw APIError.badRequest(
                        "the form field '\(name)' is longer than \(UploadConsumer.maxFieldBytes) bytes")
                }
                fields[name, default: []].append(contentsOf: bytes)
            case (.partEnd, .file):
                try session.endFile()
                part = .none
            case (.partEnd, _), (.partData, .none):
                part = .none
            }
        }

        private func uploadFields() throws(APIError) -> ArtifactUpload {
            var text: [String: String] = [:]
            for (name, bytes) in fields {
                guard let value = String(validating: bytes, as: UTF8.self) else {
                    throw APIError.badRequest("the form field '\(name)' is not UTF-8 text")
                }
                text[name] = value
            }
            var upload = ArtifactUpload(name: text["name"], pipeline: text["pipeline"], job: text["job"])
            if let expiry = text["expires_in"] {
                guard let seconds = DurationParsing.seconds(from: expiry) else {
                    throw APIError.badRequest("expires_in is a duration such as 90m, 12h or 7d")
                }
                upload.expiresInSeconds = seconds
            }
            return upload
        }
    }

    /// Any error of an upload as an API error: framing faults are the client's, 400.
    static func apiError(_ error: any Error) -> APIError {
        switch error {
        case let error as MultipartError: APIError(400, "invalid_multipart", error.reason)
        case let error as ArtifactError: APIError(error)
        default: APIError(error)
        }
    }
}
