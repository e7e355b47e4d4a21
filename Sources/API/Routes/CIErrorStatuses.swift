import CIBridge

extension APIError {
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

    init(_ error: CIError) {
        self.init(APIError.ciStatuses[error.code] ?? 500, error.code.name, error.reason)
    }
}

/// CI calls with their errors mapped through the status table.
enum CICalls {
    static func run<T>(_ body: () throws(CIError) -> T) throws(APIError) -> T {
        do {
            return try body()
        } catch {
            throw APIError(error)
        }
    }
}
