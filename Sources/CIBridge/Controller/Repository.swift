/// Where and how commit statuses are posted for a repository.
public struct StatusTarget: Sendable, Equatable {
    /// The provider's API flavour.
    public enum Kind: String, Sendable, CaseIterable {
        case github, gitlab, generic, none
    }

    public var kind: Kind
    /// GitHub or GitLab API base (`https://api.github.com`), or the generic endpoint.
    public var url: String?

    public init(kind: Kind, url: String?) {
        self.kind = kind
        self.url = url
    }
}

/// A repository the controller builds, as registered with `PUT /v1/repos/{name}`.
public struct RepositoryInfo: Sendable, Equatable {
    /// Matched against GitHub's `repository.full_name`, GitLab's `project.path_with_namespace` and
    /// the generic payload's `repo`.
    public var name: String
    public var cloneURL: String
    public var status: StatusTarget
    public var createdAt: Int64
    public var updatedAt: Int64
}

/// The secret names kept for a repository in the `RepositorySecretStore`.
enum RepositorySecretName {
    static let webhookSecret = "webhook-secret"
    static let statusToken = "status-token"
}
