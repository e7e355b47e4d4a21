import Foundation
import Vault

/// The embedded default: initialise on first start, unseal from the data directory afterwards.
enum DevMode {
    static let unsealKeyFile = "unseal.key"
    static let rootTokenFile = "root.token"
    /// A reusable runner registration token, written on first start.
    static let registrationTokenFile = "runner-registration-token"

    /// Initialises or unseals the vault; returns the root token to print.
    static func prepare(_ vault: Vault, directory: DataDirectory, settings: ServerSettings) throws(CLIError) -> String {
        if !vault.status().isInitialized {
            do {
                let result = try vault.initialize(rootToken: settings.devRootToken)
                let key = result.unsealKey.withUnsafeBytes { Data($0).base64EncodedString() }
                try directory.writePrivate(unsealKeyFile, key + "\n")
                try directory.writePrivate(rootTokenFile, result.rootToken + "\n")
                return result.rootToken
            } catch let error as VaultError {
                throw CLIError.failed("cannot initialise the dev vault: \(error.reason)")
            } catch {
                throw error as? CLIError ?? CLIError.failed("cannot initialise the dev vault")
            }
        }
        guard let text = directory.read(unsealKeyFile), let key = Data(base64Encoded: text) else {
            throw CLIError.failed(
                "\(directory.file(unsealKeyFile)) is missing or unreadable; a dev data directory keeps its unseal key there"
            )
        }
        do {
            try vault.unseal(key: .init(Array(key)))
        } catch {
            throw CLIError.failed("cannot unseal the dev vault with \(directory.file(unsealKeyFile)): \(error.reason)")
        }
        return directory.read(rootTokenFile) ?? "(unknown: \(directory.file(rootTokenFile)) is missing)"
    }

    static func printBanner(settings: ServerSettings, directory: DataDirectory, rootToken: String) {
        Terminal.write(
            """
            ==> vaultctl server is running in DEV MODE

                Address:        \(settings.address)
                Data directory: \(directory.path) (SQLite database \(directory.file("vault.db")))
                Root token:     \(rootToken)

            WARNING: dev mode keeps the unseal key in \(directory.file(unsealKeyFile)), beside the data it
            protects. Anyone who can read the data directory can read every secret. Never use dev mode
            for real secrets.

            To talk to this server from another shell:

                export VAULTCTL_ADDR=\(settings.address)
                export VAULTCTL_TOKEN=\(rootToken)


            """)
    }
}
