// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "vaultctl",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "vaultctl", targets: ["vaultctl"])
    ],
    targets: [
        // C libraries from Debian packages, each wrapped with a modulemap and a shim.
        .systemLibrary(name: "COpenSSL", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "CMicroHTTPD", pkgConfig: "libmicrohttpd", providers: [.apt(["libmicrohttpd-dev"])]),
        .systemLibrary(name: "CYAML", pkgConfig: "yaml-0.1", providers: [.apt(["libyaml-dev"])]),

        // Plumbing: the only modules that touch C.
        .target(name: "Logging"),
        .target(name: "Timekeeping"),
        .target(name: "Cryptography", dependencies: ["COpenSSL"]),
        .target(name: "Database", dependencies: ["CSQLite"]),
        .target(name: "HTTPServer", dependencies: ["CMicroHTTPD", "Logging"]),
        .target(name: "HTTPClient", dependencies: ["CCurl"]),
        .target(name: "CProcessShims"),
        .target(name: "JobSandbox", dependencies: ["CProcessShims", "Logging"]),

        // Domain.
        .target(name: "Vault", dependencies: ["Cryptography", "Database", "Logging", "Timekeeping"]),
        .target(name: "ArtifactStore", dependencies: ["Database", "Cryptography", "Logging", "Timekeeping"]),
        .target(
            name: "CIBridge",
            dependencies: ["CYAML", "Cryptography", "Database", "HTTPClient", "JobSandbox", "Logging", "Timekeeping"]),

        // HTTP routes onto the domain modules.
        .target(
            name: "API", dependencies: ["Vault", "ArtifactStore", "CIBridge", "HTTPServer", "Logging", "Timekeeping"]),

        // The executable: argument parsing and commands.
        .executableTarget(
            name: "vaultctl",
            dependencies: [
                "API", "Vault", "ArtifactStore", "CIBridge", "Database", "HTTPServer", "HTTPClient", "Logging",
                "Timekeeping", "Cryptography",
            ]
        ),

        .target(name: "TestSupport", dependencies: ["HTTPServer"], path: "Tests/TestSupport"),
        .testTarget(
            name: "PlumbingTests",
            dependencies: ["Cryptography", "Database", "HTTPServer", "HTTPClient", "Timekeeping", "Logging"]),
        .testTarget(
            name: "ArtifactStoreTests",
            dependencies: [
                "TestSupport", "ArtifactStore", "API", "Vault", "HTTPServer", "Database", "Logging", "Timekeeping",
            ]),
        .testTarget(
            name: "VaultTests", dependencies: ["TestSupport", "Vault", "Cryptography", "Database", "Timekeeping"]),
        .testTarget(name: "CLITests", dependencies: ["TestSupport", "vaultctl"]),
        .testTarget(
            name: "EndToEndTests", dependencies: ["TestSupport", "vaultctl", "HTTPServer", "Logging", "Cryptography"]),
        .testTarget(
            name: "APITests",
            dependencies: [
                "TestSupport", "API", "Vault", "HTTPServer", "HTTPClient", "Database", "Logging", "Cryptography",
            ]),
        .testTarget(name: "JobSandboxTests", dependencies: ["JobSandbox", "TestSupport"]),
        .testTarget(
            name: "CIBridgeTests",
            dependencies: [
                "CIBridge", "TestSupport", "API", "Vault", "Database", "HTTPServer", "Logging", "Timekeeping",
            ]),
        .testTarget(name: "RunnerTests", dependencies: ["TestSupport", "CIBridge", "JobSandbox"]),
    ],
    swiftLanguageModes: [.v6]
)
