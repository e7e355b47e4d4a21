import Testing

@testable import Vault

@Suite struct PolicyEvaluationTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let rules: [(String, [Capability])]
        let capability: Capability
        let path: String
        let allowed: Bool
        let note: String

        var testDescription: String { note }
    }

    static let cases: [Case] = [
        Case(rules: [], capability: .read, path: "app/x", allowed: false, note: "no rules: denied by default"),
        Case(
            rules: [("app/*", [.read])], capability: .read, path: "app/x", allowed: true, note: "star matches a segment"
        ),
        Case(
            rules: [("app/*", [.read])], capability: .read, path: "app/x/y", allowed: false,
            note: "star stays in one segment"),
        Case(
            rules: [("app/*", [.read])], capability: .read, path: "other/x", allowed: false, note: "other prefix denied"
        ),
        Case(
            rules: [("app/*", [.read])], capability: .write, path: "app/x", allowed: false, note: "capability mismatch"),
        Case(rules: [("app/*", [.read])], capability: .read, path: "app", allowed: false, note: "star needs a segment"),
        Case(
            rules: [("app/**", [.read])], capability: .read, path: "app/x/y/z", allowed: true,
            note: "double star spans segments"),
        Case(
            rules: [("app/**", [.read])], capability: .read, path: "app", allowed: true,
            note: "double star matches none"),
        Case(
            rules: [("**", [.lease])], capability: .lease, path: "a/b/c", allowed: true,
            note: "double star alone matches all"),
        Case(
            rules: [("app/db-*", [.read])], capability: .read, path: "app/db-main", allowed: true,
            note: "star inside a segment"),
        Case(
            rules: [("app/db-*", [.read])], capability: .read, path: "app/cache", allowed: false,
            note: "partial literal must match"),
        Case(
            rules: [("app/*-key", [.read])], capability: .read, path: "app/api-key", allowed: true,
            note: "star before a suffix"),
        Case(
            rules: [("app/*-key", [.read])], capability: .read, path: "app/api-keys", allowed: false,
            note: "suffix must end the segment"),
        Case(
            rules: [("**/db", [.read])], capability: .read, path: "a/b/db", allowed: true, note: "leading double star"),
        Case(
            rules: [("a/**/db", [.read])], capability: .read, path: "a/db", allowed: true,
            note: "inner double star matches zero"),
        Case(
            rules: [("a/**/db", [.read])], capability: .read, path: "a/x/y/db", allowed: true,
            note: "inner double star matches many"),
        Case(
            rules: [("a/**/db", [.read])], capability: .read, path: "a/x/dbx", allowed: false,
            note: "literal after double star"),
        Case(rules: [("app/x", [.read])], capability: .read, path: "app/x", allowed: true, note: "exact literal"),
        Case(
            rules: [("app/x", [.read])], capability: .read, path: "app/xy", allowed: false,
            note: "literal is not a prefix"),
        Case(
            rules: [("app/**", [.read, .write]), ("app/secret/*", [.read])], capability: .write, path: "app/secret/k",
            allowed: false, note: "most specific rule decides and narrows"),
        Case(
            rules: [("app/**", [.read]), ("app/secret/*", [.read, .write])], capability: .write, path: "app/secret/k",
            allowed: true, note: "most specific rule decides and widens"),
        Case(
            rules: [("app/**", [.read, .write]), ("app/secret/*", [.read])], capability: .write, path: "app/other",
            allowed: true, note: "less specific rule applies where the specific one does not match"),
        Case(
            rules: [("app/**", [.read]), ("app/secret/*", [.deny])], capability: .read, path: "app/secret/k",
            allowed: false, note: "deny on the specific rule"),
        Case(
            rules: [("app/**", [.deny]), ("app/secret/*", [.read])], capability: .read, path: "app/secret/k",
            allowed: false, note: "deny wins even when less specific"),
        Case(
            rules: [("app/*", [.read]), ("app/*", [.list])], capability: .list, path: "app/x", allowed: true,
            note: "equally specific rules unite"),
        Case(
            rules: [("app/*", [.read, .deny])], capability: .read, path: "app/x", allowed: false,
            note: "deny beside a grant"),
        Case(
            rules: [("app/*", [.deny])], capability: .read, path: "other/x", allowed: false,
            note: "deny elsewhere grants nothing"),
        Case(
            rules: [("app/*", [.read])], capability: .deny, path: "app/x", allowed: false, note: "deny is never granted"
        ),
        Case(rules: [("*", [.read])], capability: .read, path: "top", allowed: true, note: "top-level star"),
        Case(
            rules: [("*", [.read])], capability: .read, path: "top/inner", allowed: false,
            note: "top-level star stays shallow"),
    ]

    @Test(arguments: cases)
    func policyTableDecidesAsDocumented(_ example: Case) throws {
        let rules = try example.rules.map { try PolicyRule(path: $0.0, capabilities: Set($0.1)) }
        #expect(Policy.decide(example.capability, on: example.path, rules: rules) == example.allowed)
    }

    @Test(arguments: ["", "app//x", "/app", "app/", "a**/b", "app/a*b*c", "app/x y", "app/\u{7f}"])
    func malformedRulePathsAreRejected(_ path: String) {
        #expect(vaultErrorCode { _ = try PolicyRule(path: path, capabilities: [.read]) } == .invalidPolicy)
    }

    @Test func ruleWithoutCapabilitiesIsRejected() {
        #expect(vaultErrorCode { _ = try PolicyRule(path: "app/*", capabilities: []) } == .invalidPolicy)
    }

    @Test(arguments: ["", "Upper", "has space", "a/b", String(repeating: "x", count: 65)])
    func badPolicyNamesAreRejected(_ name: String) {
        #expect(vaultErrorCode { _ = try Policy(name: name, rules: []) } == .invalidPolicy)
    }
}

@Suite struct PolicyAreaTests {
    @Test func artifactRulesGrantArtifactsAndJobTokensMayUploadButNotRead() throws {
        let fixture = try VaultFixture()
        try fixture.vault.putPolicy(
            Policy(name: "builds", rules: [PolicyRule(path: "artifacts/app-*", capabilities: [.read, .write])]))
        let token = try fixture.vault.createToken(
            parent: fixture.vault.authenticate(token: fixture.rootToken), policies: ["builds"], ttl: 3600)
        let identity = try fixture.vault.authenticate(token: token.token)
        #expect(try fixture.vault.isAllowed(identity, .write, on: "artifacts/app-1.jar"))
        #expect(try !fixture.vault.isAllowed(identity, .write, on: "artifacts/other.jar"))
        #expect(try !fixture.vault.isAllowed(identity, .read, on: "secrets/artifacts/app-1.jar"))
        let job = try fixture.vault.issueJobCredential(jobID: "7", secretPaths: ["app/db"], ttl: 60)
        let jobIdentity = try fixture.vault.authenticate(token: job.token)
        #expect(try fixture.vault.isAllowed(jobIdentity, .write, on: "artifacts/dist/app.jar"))
        #expect(try !fixture.vault.isAllowed(jobIdentity, .read, on: "artifacts/dist/app.jar"))
        #expect(try fixture.vault.isAllowed(jobIdentity, .lease, on: "secrets/app/db"))
        #expect(try !fixture.vault.isAllowed(jobIdentity, .read, on: "secrets/app/db"))
    }
}
