/// One numbered schema change; migrations are applied in order, each exactly once.
public struct Migration: Sendable {
    /// The schema version this migration produces; numbering starts at 1 with no gaps.
    public let version: Int
    /// The statements to run, in one transaction with the version bump.
    public let sql: StaticString

    public init(_ version: Int, _ sql: StaticString) {
        self.version = version
        self.sql = sql
    }
}
