import Cryptography
import Database
import Foundation
import Testing

@testable import Vault

@Suite struct TokenLifecycleTests {
    private func root(_ fixture: VaultFixture) throws -> TokenIdentity {
        try fixture.vault.authenticate(token: fixture.rootToken)
    }

    private func policy(_ fixture: VaultFixture, _ name: String, _ rules: [(String, [Capability])]) throws {
        let parsed = try rules.map { try PolicyRule(path: $0.0, capabilities: Set($0.1)) }
        try fixture.vault.putPolicy(Policy(name: name, rules: parsed))
    }

    @Test func readPolicyOnAppAllowsAppAndRefusesOtherPathsAndWrites() throws {
        let fixture = try VaultFixture()
        try policy(fixture, "app-read", [("app/*", [.read])])
        let issued = try fixture.vault.createToken(parent: root(fixture), policies: ["app-read"], ttl: 3_600)
        let identity = try fixture.vault.authenticate(token: issued.token)
        try fixture.vault.authorize(identity, .read, on: Vault.secretResource("app/x"))
        #expect(
            vaultErrorCode { try fixture.vault.authorize(identity, .read, on: Vault.secretResource("other/x")) }
                == .forbidden)
        #expect(
            vaultErrorCode { try fixture.vault.authorize(identity, .write, on: Vault.secretResource("app/x")) }
                == .forbidden)
        #expect(vaultErrorCode { try fixture.vault.authorize(identity, .admin, on: "sys/operator") } == .forbidden)
    }

    @Test func wildcardSecretRulesNeverReachSystemAreas() throws {
        let fixture = try VaultFixture()
        try policy(fixture, "everything", [("**", Capability.grants)])
        let issued = try fixture.vault.createToken(parent: root(fixture), policies: ["everything"])
        let identity = try fixture.vault.authenticate(token: issued.token)
        #expect(try fixture.vault.isAllowed(identity, .read, on: Vault.secretResource("a/b/c")))
        #expect(try !fixture.vault.isAllowed(identity, .admin, on: "sys/operator"))
    }

    @Test func tokensAreStoredOnlyAsHashes() throws {
        let fixture = try VaultFixture()
        let issued = try fixture.vault.createToken(parent: root(fixture), policies: [], ttl: 60)
        let rows = try fixture.rawDatabase().read { connection in
            try connection.query("SELECT hash FROM tokens WHERE id = ?", .text(issued.id))
        }
        #expect(rows.first?.blob(0) == SHA256.digest(Array(issued.token.utf8)))
        let file = try #require(FileManager.default.contents(atPath: fixture.databasePath))
        #expect(file.range(of: Data(issued.token.utf8)) == nil)
    }

    @Test func expiredTokenIsUnauthenticated() throws {
        let fixture = try VaultFixture()
        let issued = try fixture.vault.createToken(parent: root(fixture), policies: [], ttl: 60)
        _ = try fixture.vault.authenticate(token: issued.token)
        fixture.clock.advance(by: 61)
        #expect(vaultErrorCode { _ = try fixture.vault.authenticate(token: issued.token) } == .unauthenticated)
    }

    @Test func childNeverOutlivesItsParent() throws {
        let fixture = try VaultFixture()
        let parent = try fixture.vault.createToken(parent: root(fixture), policies: [], ttl: 100)
        let parentIdentity = try fixture.vault.authenticate(token: parent.token)
        let child = try fixture.vault.createToken(parent: parentIdentity, policies: [], ttl: 10_000)
        #expect(child.expiresAt == parent.expiresAt)
    }

    @Test func tokenCannotHandOnPoliciesItDoesNotHold() throws {
        let fixture = try VaultFixture()
        try policy(fixture, "a", [("a/*", [.read])])
        try policy(fixture, "b", [("b/*", [.read])])
        let holder = try fixture.vault.createToken(parent: root(fixture), policies: ["a"])
        let identity = try fixture.vault.authenticate(token: holder.token)
        #expect(vaultErrorCode { _ = try fixture.vault.createToken(parent: identity, policies: ["b"]) } == .forbidden)
        #expect(
            vaultErrorCode { _ = try fixture.vault.createToken(parent: identity, policies: ["root"]) } == .forbidden)
        _ = try fixture.vault.createToken(parent: identity, policies: ["a"])
    }

    @Test func revokingATokenRevokesItsDescendantsAndTheirLeases() throws {
        let fixture = try VaultFixture()
        _ = try fixture.put("v", at: "app/x")
        try policy(fixture, "app", [("app/*", [.read, .lease])])
        let parent = try fixture.vault.createToken(parent: root(fixture), policies: ["app"])
        let parentIdentity = try fixture.vault.authenticate(token: parent.token)
        let child = try fixture.vault.createToken(parent: parentIdentity, policies: ["app"])
        let childIdentity = try fixture.vault.authenticate(token: child.token)
        let grandchild = try fixture.vault.createToken(parent: childIdentity, policies: ["app"])
        let lease = try #require(try fixture.vault.createLeases(["app/x"], for: childIdentity).first)

        let result = try fixture.vault.revokeToken(id: parent.id, by: parentIdentity)
        #expect(result == RevocationResult(tokens: 3, leases: 1))
        for token in [parent.token, child.token, grandchild.token] {
            #expect(vaultErrorCode { _ = try fixture.vault.authenticate(token: token) } == .unauthenticated)
        }
        let rootIdentity = try root(fixture)
        #expect(
            vaultErrorCode { _ = try fixture.vault.leasedSecret(id: lease.lease.id, by: rootIdentity) } == .leaseRevoked
        )
    }

    @Test func tokenMayNotRevokeAStranger() throws {
        let fixture = try VaultFixture()
        let first = try fixture.vault.createToken(parent: root(fixture), policies: [])
        let second = try fixture.vault.createToken(parent: root(fixture), policies: [])
        let identity = try fixture.vault.authenticate(token: first.token)
        #expect(vaultErrorCode { try fixture.vault.revokeToken(id: second.id, by: identity) } == .forbidden)
        _ = try fixture.vault.authenticate(token: second.token)
    }

    @Test func policiesSurviveAReopenAndDeletedPoliciesGrantNothing() throws {
        let fixture = try VaultFixture()
        try policy(fixture, "app", [("app/*", [.read])])
        let issued = try fixture.vault.createToken(parent: root(fixture), policies: ["app"])
        let reopened = try fixture.reopen()
        try reopened.unseal(key: fixture.unsealKey)
        let identity = try reopened.authenticate(token: issued.token)
        #expect(try reopened.isAllowed(identity, .read, on: Vault.secretResource("app/x")))
        #expect(try reopened.policy(named: "app").rules.map(\.path) == ["app/*"])
        try reopened.deletePolicy(named: "app")
        #expect(try !reopened.isAllowed(identity, .read, on: Vault.secretResource("app/x")))
        #expect(vaultErrorCode { try reopened.deletePolicy(named: "root") } == .invalidPolicy)
    }
}
