import CIBridge
import Cryptography
import Database
import Vault

/// The vault seen through the protocols the CI controller declares: job tokens for claimed jobs,
/// and repository secrets kept as ordinary encrypted secrets under `_ci/repos/<name>/`.
public struct VaultCIServices: JobCredentialIssuer, RepositorySecretStore {
    private let vault: Vault

    public init(vault: Vault) {
        self.vault = vault
    }

    public func issueJobToken(jobID: String, secretPaths: [String], ttlSeconds: Int64, in connection: Connection)
        throws -> String
    {
        try vault.issueJobCredential(jobID: jobID, secretPaths: secretPaths, ttl: ttlSeconds, in: connection).token
    }

    public func revokeJobCredentials(jobID: String, in connection: Connection) throws {
        try vault.revokeJobCredentials(jobID: jobID, in: connection)
    }

    public func storeSecret(_ value: [UInt8], repository: String, name: String) throws {
        try vault.putSecret(SecretBytes(value), at: SecretPath("_ci/repos/\(repository)/\(name)"))
    }

    public func secret(repository: String, name: String) throws -> [UInt8]? {
        let path = try SecretPath("_ci/repos/\(repository)/\(name)")
        let found: Secret
        do {
            found = try vault.secret(at: path)
        } catch {
            guard error.code == .notFound else { throw error }
            return nil
        }
        return found.value.copyBytes()
    }
}
