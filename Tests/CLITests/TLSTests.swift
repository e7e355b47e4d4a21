import Foundation
import TestSupport
import Testing

@Suite struct TLSTests {
    /// `vaultctl server --tls-cert --tls-key` serves https, and the CLI trusts it with `--ca-cert`.
    @Test func serverSpeaksHTTPSAndTheCLITrustsTheGivenCertificate() throws {
        let directory = TemporaryDirectory()
        let certificate = directory.file("cert.pem")
        let key = directory.file("key.pem")
        let made = try CommandRunner.run(
            "/usr/bin/openssl",
            [
                "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
                "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key, "-out", certificate,
            ])
        #expect(made.exitCode == 0, "\(made.standardError)")
        let server = try DevServer(
            directory: directory.path, extraArguments: ["--tls-cert", certificate, "--tls-key", key])
        #expect(server.address.hasPrefix("https://127.0.0.1:"))
        var env = server.environment
        let untrusted = try CommandRunner.vaultctl(["operator", "status"], environment: env)
        #expect(untrusted.exitCode == 1)
        #expect(untrusted.standardError.contains("TLS"))
        env["VAULTCTL_CACERT"] = certificate
        let status = try CommandRunner.vaultctl(["operator", "status", "--format", "json"], environment: env)
        #expect(status.exitCode == 0, "\(status.standardError)")
        #expect(status.standardOutput.contains("\"sealed\" : false"))
        #expect(
            try CommandRunner.vaultctl(["secret", "put", "tls/x"], input: "over-tls", environment: env).exitCode == 0)
        #expect(try CommandRunner.vaultctl(["secret", "get", "tls/x"], environment: env).standardOutput == "over-tls")
    }
}
