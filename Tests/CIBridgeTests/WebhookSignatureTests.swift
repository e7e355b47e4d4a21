import Testing

@testable import CIBridge

@Suite struct WebhookSignatureTests {
    @Test func githubsPublishedTestVectorVerifies() {
        let request = WebhookRequest(
            provider: .github,
            headers: ["x-hub-signature-256": "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"],
            body: Array("Hello, World!".utf8))
        #expect(request.isSigned(with: Array("It's a Secret to Everybody".utf8)))
        #expect(!request.isSigned(with: Array("It's a Secret to Everybody!".utf8)))
    }

    @Test func alteredBodyOrSignatureFails() {
        let secret = Array("It's a Secret to Everybody".utf8)
        let signature = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"
        let altered = WebhookRequest(
            provider: .github, headers: ["x-hub-signature-256": signature], body: Array("Hello, World?".utf8))
        #expect(!altered.isSigned(with: secret))
        for header in ["", "sha256=", "sha1=757107ea", "sha256=zz", signature.uppercased()] {
            let request = WebhookRequest(
                provider: .github, headers: ["x-hub-signature-256": header], body: Array("Hello, World!".utf8))
            #expect(!request.isSigned(with: secret), "\(header)")
        }
        #expect(!WebhookRequest(provider: .github, headers: [:], body: []).isSigned(with: secret))
    }

    @Test func gitlabTokenAndGenericSignatureVerify() {
        let secret = Array("gitlab-secret-token".utf8)
        #expect(
            WebhookRequest(provider: .gitlab, headers: ["x-gitlab-token": "gitlab-secret-token"], body: []).isSigned(
                with: secret))
        #expect(
            !WebhookRequest(provider: .gitlab, headers: ["x-gitlab-token": "gitlab-secret-tokeN"], body: []).isSigned(
                with: secret))
        let generic = WebhookRequest(
            provider: .generic,
            headers: ["x-signature-256": "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"],
            body: Array("Hello, World!".utf8))
        #expect(generic.isSigned(with: Array("It's a Secret to Everybody".utf8)))
    }

    @Test func pushPayloadsOfEachProviderAreRead() throws {
        let commit = String(repeating: "b", count: 40)
        let github = WebhookRequest(
            provider: .github, headers: ["x-github-event": "push"],
            body: Array(#"{"ref":"refs/heads/main","after":"\#(commit)","repository":{"full_name":"acme/app"}}"#.utf8))
        #expect(
            try github.pushEvent().event == PushEvent(repository: "acme/app", ref: "refs/heads/main", commit: commit))
        let ping = WebhookRequest(provider: .github, headers: ["x-github-event": "ping"], body: Array("{}".utf8))
        #expect(try ping.pushEvent().event == nil)
        let gitlab = WebhookRequest(
            provider: .gitlab, headers: ["x-gitlab-event": "Push Hook"],
            body: Array(
                #"{"ref":"refs/heads/dev","checkout_sha":"\#(commit)","project":{"path_with_namespace":"acme/app"}}"#
                    .utf8))
        #expect(try gitlab.pushEvent().event?.ref == "refs/heads/dev")
        let generic = WebhookRequest(
            provider: .generic, headers: [:],
            body: Array(#"{"event":"push","repo":"acme/app","branch":"main","commit":"\#(commit)"}"#.utf8))
        #expect(try generic.pushEvent().event?.ref == "refs/heads/main")
        let bad = WebhookRequest(
            provider: .generic, headers: [:],
            body: Array(#"{"event":"push","repo":"acme/app","branch":"main","commit":"-x"}"#.utf8))
        #expect(throws: CIError(.invalidInput, "")) { try bad.pushEvent() }
    }
}
