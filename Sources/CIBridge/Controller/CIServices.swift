import Database

/// What the controller needs from the vault. The server supplies it; CIBridge does not import Vault.
///
/// Both calls run inside the controller's own write transaction on the shared database, so a claim
/// and its job token, or a job's end and the revocation of its token, commit together or not at all.
public protocol JobCredentialIssuer: Sendable {
    /// Issues a token for one attempt of a job that may lease only `secretPaths`, for `ttlSeconds`.
    func issueJobToken(jobID: String, secretPaths: [String], ttlSeconds: Int64, in connection: Connection) throws
        -> String
    /// Revokes every token issued for the job and every lease under them.
    func revokeJobCredentials(jobID: String, in connection: Connection) throws
}

/// Where a repository's webhook secret and status token are kept: encrypted, like any secret.
public protocol RepositorySecretStore: Sendable {
    /// Stores `value` as the secret called `name` of `repository`.
    func storeSecret(_ value: [UInt8], repository: String, name: String) throws
    /// The secret called `name` of `repository`, or nil when there is none.
    func secret(repository: String, name: String) throws -> [UInt8]?
}

/// Settings of the CI controller.
public struct CIOptions: Sendable {
    /// How long a claim lasts without a heartbeat before the job is requeued.
    public var jobLeaseSeconds: Int64
    /// Attempts a job gets before a lapsed claim ends it in `error`.
    public var maxAttempts: Int
    /// The server's own address, for the `target_url` of commit statuses.
    public var publicURL: String
    /// The most seconds a runner may long-poll in one request.
    public var maxWaitSeconds: Int
    /// How often the sweeper looks for lapsed claims and timed-out jobs.
    public var sweepIntervalSeconds: Double

    public init(
        jobLeaseSeconds: Int64 = 30, maxAttempts: Int = 3, publicURL: String = "http://127.0.0.1:8270",
        maxWaitSeconds: Int = 60, sweepIntervalSeconds: Double = 1
    ) {
        self.jobLeaseSeconds = jobLeaseSeconds
        self.maxAttempts = maxAttempts
        self.publicURL = publicURL
        self.maxWaitSeconds = maxWaitSeconds
        self.sweepIntervalSeconds = sweepIntervalSeconds
    }
}
