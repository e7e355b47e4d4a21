import ArtifactStore
import CIBridge
import HTTPServer
import Vault

/// An error on its way to becoming an HTTP response: a status, a stable code and a message.
///
/// Messages are written for the client and never hold a secret value or a token.
public struct APIError: Error, Sendable {
    public let status: Int
    public let code: String
    public let message: String

    public init(_ status: Int, _ code: String, _ message: String) {
        self.status = status
        self.code = code
        self.message = message
    }

    static func badRequest(_ message: String) -> APIError {
        APIError(400, "bad_request", message)
    }

    static func invalidJSON(_ message: String) -> APIError {
        APIError(400, "invalid_json", message)
    }

    var response: HTTPResponse {
        JSONResponse.make(status, ["error": ["code": code, "message": message]])
    }
}

extension APIError {
    /// The one table from vault error codes to HTTP statuses.
    static let vaultStatuses: [VaultError.Code: Int] = [
        .notInitialized: 503,
        .alreadyInitialized: 409,
        .sealed: 503,
        .wrongUnsealKey: 400,
        .invalidPath: 400,
        .invalidInput: 400,
        .notFound: 404,
        .deleted: 404,
        .destroyed: 404,
        .casMismatch: 409,
        .valueTooLarge: 413,
        .integrity: 500,
        .unauthenticated: 401,
        .forbidden: 403,
        .storage: 500,
        .storageFull: 507,
        .invalidPolicy: 400,
        .leaseExpired: 410,
        .leaseRevoked: 410,
        .leaseUsedUp: 410,
        .auditUnavailable: 503,
    ]

    init(_ error: VaultError) {
        self.init(APIError.vaultStatuses[error.code] ?? 500, error.code.name, error.reason)
    }

    /// Any error thrown below the API layer, mapped; unexpected ones become a plain 500 without details.
    init(_ error: any Error) {
        switch error {
        case let error as APIError: self = error
        case let error as VaultError: self.init(error)
        case let error as CIError: self.init(error)
        case let error as ArtifactError: self.init(error)
        default: self.init(500, "internal", "the server failed to handle the request")
        }
    }
}

extension APIError {
    /// The artifact store's error codes and their HTTP statuses.
    static let artifactStatuses: [ArtifactError.Code: Int] = [
        .digestInvalid: 400,
        .invalidName: 400,
        .invalidInput: 400,
        .notFound: 404,
        .expired: 410,
        .tooLarge: 413,
        .insufficientStorage: 507,
        .integrity: 500,
        .storage: 500,
    ]

    /// The CI controller's error codes and their HTTP statuses.
    static let ciStatuses: [CIError.Code: Int] = [
        .notFound: 404,
        .invalidInput: 400,
        .invalidSignature: 401,
        .unauthenticated: 401,
        .staleEpoch: 409,
        .conflict: 409,
        .logGap: 416,
        .storage: 500,
        .unavailable: 503,
    ]

    init(_ error: ArtifactError) {
        self.init(APIError.artifactStatuses[error.code] ?? 500, error.code.name, error.reason)
    }

    init(_ error: CIError) {
        self.init(APIError.ciStatuses[error.code] ?? 500, error.code.name, error.reason)
    }
}
