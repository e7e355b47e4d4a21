import API
import Cryptography
import Database
import Foundation
import HTTPServer
import Logging
import Synchronization
import TestSupport
import Testing
import Vault

@testable import CIBridge

@Suite struct PushToStatusTests {
    @Test func signedPushBecomesJobsAndStatusesReachTheProviderThroughItsErrors() throws {
        let directory = TemporaryDirectory()
        let commit = try GitFixture.repository(
            at: directory.file("src"),
            pipeline: """
                on: { push: { branches: [main] } }
                jobs:
                  build:
                    runs-on: [linux]
                    steps:
                      - run: echo build
                  test:
                    needs: [build]
                    steps:
                      - run: echo test
                """)
        let provider = StatusProvider(failFirst: 3)
        let providerServer = try HTTPServer(
            configuration: HTTPServerConfiguration(host: "127.0.0.1", port: 0), responder: provider,
            logger: Logger(label: "provider", sink: .memory()))
        try providerServer.start()
        defer { providerServer.stop(graceSeconds: 1) }

        let database = try Database(path: directory.file("vault.db"))
        let vault = try Vault(database: database)
        let root = try vault.initialize().rootToken
        let services = VaultCIServices(vault: vault)
        let ci = try CIController(
            database: database, dataDirectory: directory.path, credentials: services, secrets: services,
            logger: Logger(label: "ci", sink: .memory()))
        ci.start()
        defer { ci.stop() }
        let server = try HTTPServer(
            configuration: HTTPServerConfiguration(host: "127.0.0.1", port: 0),
            responder: APIResponder(vault: vault, logger: Logger(label: "api", sink: .memory()), ci: ci),
            logger: Logger(label: "http", sink: .memory()))
        try server.start()
        defer { server.stop(graceSeconds: 1) }
        let api = "http://127.0.0.1:\(server.port)"

        let repo = try Curl.json(
            "PUT", api + "/v1/repos/acme/app", token: root,
            body:
                #"{"clone_url": "\#(directory.file("src"))", "webhook_secret": "It's a Secret to Everybody", "status": {"kind": "generic", "url": "http://127.0.0.1:\#(providerServer.port)/status"}}"#
        )
        #expect(repo.status == 200)
        let registration = try ci.createRegistrationToken()
        let runnerToken = try ci.registerRunner(
            registrationToken: registration, name: "r1", labels: ["linux"], capacity: 2
        ).token

        let body = #"{"ref":"refs/heads/main","after":"\#(commit)","repository":{"full_name":"acme/app"}}"#
        let wrong = try Curl.json(
            "POST", api + "/v1/webhooks/github", body: body,
            headers: ["X-GitHub-Event: push", "X-Hub-Signature-256: sha256=" + String(repeating: "0", count: 64)])
        #expect(wrong.status == 401)
        #expect(try ci.pipelines().isEmpty, "a wrongly signed hook creates nothing")

        let signature =
            "sha256="
            + Hex.encode(
                HMACSHA256.authenticationCode(
                    for: Array(body.utf8), key: SecretBytes(Array("It's a Secret to Everybody".utf8))))
        let headers = ["X-GitHub-Event: push", "X-Hub-Signature-256: \(signature)", "X-GitHub-Delivery: delivery-1"]
        let first = try Curl.json("POST", api + "/v1/webhooks/github", body: body, headers: headers)
        #expect(first.status == 202)
        let again = try Curl.json("POST", api + "/v1/webhooks/github", body: body, headers: headers)
        #expect(again.status == 200)
        #expect(again.object["pipeline"] as? Int == first.object["pipeline"] as? Int)
        let otherDelivery = try Curl.json(
            "POST", api + "/v1/webhooks/github", body: body,
            headers: ["X-GitHub-Event: push", "X-Hub-Signature-256: \(signature)", "X-GitHub-Delivery: delivery-2"])
        #expect(otherDelivery.status == 200)
        #expect(try ci.pipelines().count == 1)

        for expected in ["build", "test"] {
            let claimed = try Curl.json("GET", api + "/v1/jobs?wait=20", token: runnerToken)
            #expect(claimed.status == 200)
            #expect(claimed.object["name"] as? String == expected)
            let id = try #require(claimed.object["id"] as? Int)
            let epoch = try #require(claimed.object["epoch"] as? Int)
            #expect((claimed.object["job_token"] as? String)?.isEmpty == false)
            let beat = try Curl.json(
                "POST", api + "/v1/jobs/\(id)/heartbeat", token: runnerToken, body: #"{"epoch": \#(epoch)}"#)
            #expect(beat.object["cancel"] as? Bool == false)
            let done = try Curl.json(
                "POST", api + "/v1/jobs/\(id)/complete", token: runnerToken,
                body: #"{"epoch": \#(epoch), "status": "success", "exit_code": 0, "cleanup": {"processes_left": 0}}"#)
            #expect(done.status == 200)
        }
        let pipelineID = try #require(first.object["pipeline"] as? Int)
        let shown = try Curl.json("GET", api + "/v1/pipelines/\(pipelineID)", token: root)
        #expect(shown.object["state"] as? String == "success")

        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline, provider.all.filter({ $0.status == 201 }).count < 4 {
            Thread.sleep(forTimeInterval: 0.2)
        }
        let delivered = provider.all.filter { $0.status == 201 }
        #expect(provider.all.filter { $0.status == 500 }.count == 3)
        for context in ["vault-ci/build", "vault-ci/test"] {
            #expect(delivered.filter { $0.context == context }.map(\.state) == ["pending", "success"], "\(context)")
        }
    }
}
