import CIBridge

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
