/// The push a pipeline is compiled for: which repository, which ref and which commit.
public struct PushContext: Sendable, Codable, Hashable {
    /// The repository name as registered, such as `acme/payment-service`.
    public var repository: String
    /// The full ref, such as `refs/heads/main` or `refs/tags/v1.0`.
    public var ref: String
    /// The branch name (`main`), or nil when the ref is not a branch.
    public var branch: String?
    /// The commit SHA.
    public var commit: String
    /// A manual run (`POST /v1/pipelines`): branch filters do not apply.
    public var isManual: Bool

    /// Creates a push context; `branch` defaults to the part of `ref` after `refs/heads/`.
    public init(repository: String, ref: String, commit: String, branch: String? = nil, isManual: Bool = false) {
        self.repository = repository
        self.ref = ref
        self.commit = commit
        self.branch = branch ?? (ref.hasPrefix("refs/heads/") ? String(ref.dropFirst("refs/heads/".count)) : nil)
        self.isManual = isManual
    }
}
