import Cryptography
import Database
import Foundation
import Testing

@testable import Vault

@Suite struct LeaseTests {
    /// A fixture with `app/x` and `app/y` stored and a token allowed to lease `app/*`.
    private func setUp() throws -> (VaultFixture, TokenIdentity) {
        let fixture = try VaultFixture()
        _ = try fixture.put("value-x", at: "app/x")
        _ = try fixture.put("value-y", at: "app/y")
        try fixture.vault.putPolicy(Policy(name: "app", rules: [PolicyRule(path: "app/*", capabilities: [.lease])]))
        let root = try fixture.vault.authenticate(token: fixture.rootToken)
        let issued = try fixture.vault.createToken(parent: root, policies: ["app"])
        return (fixture, try fixture.vault.authenticate(token: issued.token))
    }

    private func text(_ leased: LeasedSecret) -> String {
        String(decoding: leased.value.copyBytes(), as: UTF8.self)
    }

    @Test func leaseReturnsTheValueUntilItsTTLThenGoneWithoutValue() throws {
        let (fixture, holder) = try setUp()
        let leased = try #require(
            try fixture.vault.createLeases(["app/x"], for: holder, terms: LeaseTerms(ttl: 2)).first)
        #expect(text(leased) == "value-x")
        #expect(text(try fixture.vault.leasedSecret(id: leased.lease.id, by: holder)) == "value-x")
        fixture.clock.advance(by: 3)
        #expect(vaultErrorCode { _ = try fixture.vault.leasedSecret(id: leased.lease.id, by: holder) } == .leaseExpired)
        #expect(try fixture.vault.lease(id: leased.lease.id, by: holder).state == .expired)
    }

    @Test func singleUseLeaseIsGoneOnItsSecondRead() throws {
        let (fixture, holder) = try setUp()
        let leased = try #require(
            try fixture.vault.createLeases(["app/x"], for: holder, terms: LeaseTerms(uses: 1)).first)
        #expect(text(leased) == "value-x")
        #expect(vaultErrorCode { _ = try fixture.vault.leasedSecret(id: leased.lease.id, by: holder) } == .leaseUsedUp)
    }

    @Test func twoUseLeaseAllowsOneMoreRead() throws {
        let (fixture, holder) = try setUp()
        let leased = try #require(
            try fixture.vault.createLeases(["app/x"], for: holder, terms: LeaseTerms(uses: 2)).first)
        #expect(text(try fixture.vault.leasedSecret(id: leased.lease.id, by: holder)) == "value-x")
        #expect(vaultErrorCode { _ = try fixture.vault.leasedSecret(id: leased.lease.id, by: holder) } == .leaseUsedUp)
    }

    @Test func leasingNeedsLeaseOnEveryPathAndLeasesNothingOtherwise() throws {
        let (fixture, holder) = try setUp()
        _ = try fixture.put("nope", at: "other/z")
        #expect(vaultErrorCode { _ = try fixture.vault.createLeases(["app/x", "other/z"], for: holder) } == .forbidden)
        #expect(try fixture.vault.leases(heldBy: holder.id, by: holder).isEmpty)
    }

    @Test func renewalIsCappedAtTheMaximumTTL() throws {
        let (fixture, holder) = try setUp()
        let terms = LeaseTerms(ttl: 60, maxTTL: 300)
        let leased = try #require(try fixture.vault.createLeases(["app/x"], for: holder, terms: terms).first)
        fixture.clock.advance(by: 30)
        let renewed = try fixture.vault.renewLease(id: leased.lease.id, increment: 120, by: holder)
        #expect(renewed.expiresAt == leased.lease.createdAt + 150)
        let capped = try fixture.vault.renewLease(id: leased.lease.id, increment: 3_600, by: holder)
        #expect(capped.expiresAt == leased.lease.maxExpiresAt)
        #expect(capped.maxExpiresAt == leased.lease.createdAt + 300)
    }

    @Test func renewingAnExpiredLeaseFails() throws {
        let (fixture, holder) = try setUp()
        let leased = try #require(
            try fixture.vault.createLeases(["app/x"], for: holder, terms: LeaseTerms(ttl: 5)).first)
        fixture.clock.advance(by: 10)
        #expect(vaultErrorCode { _ = try fixture.vault.renewLease(id: leased.lease.id, by: holder) } == .leaseExpired)
    }

    @Test func revokedLeaseIsGoneAndOthersStay() throws {
        let (fixture, holder) = try setUp()
        let leases = try fixture.vault.createLeases(["app/x", "app/y"], for: holder)
        try fixture.vault.revokeLease(id: leases[0].lease.id, by: holder)
        #expect(
            vaultErrorCode { _ = try fixture.vault.leasedSecret(id: leases[0].lease.id, by: holder) } == .leaseRevoked)
        #expect(text(try fixture.vault.leasedSecret(id: leases[1].lease.id, by: holder)) == "value-y")
    }

    @Test func anotherTokenCannotReadALease() throws {
        let (fixture, holder) = try setUp()
        let leased = try #require(try fixture.vault.createLeases(["app/x"], for: holder).first)
        let root = try fixture.vault.authenticate(token: fixture.rootToken)
        let stranger = try fixture.vault.authenticate(
            token: try fixture.vault.createToken(parent: root, policies: ["app"]).token)
        #expect(vaultErrorCode { _ = try fixture.vault.leasedSecret(id: leased.lease.id, by: stranger) } == .forbidden)
    }

    @Test func leaseNeverOutlivesItsToken() throws {
        let (fixture, _) = try setUp()
        let root = try fixture.vault.authenticate(token: fixture.rootToken)
        let short = try fixture.vault.authenticate(
            token: try fixture.vault.createToken(parent: root, policies: ["app"], ttl: 30).token)
        let leased = try #require(
            try fixture.vault.createLeases(["app/x"], for: short, terms: LeaseTerms(ttl: 600)).first)
        #expect(leased.lease.expiresAt <= short.expiresAt ?? 0)
    }

    @Test func sweeperMarksExpiredLeasesInBatches() throws {
        let (fixture, holder) = try setUp()
        for _ in 0..<7 {
            _ = try fixture.vault.createLeases(["app/x"], for: holder, terms: LeaseTerms(ttl: 10))
        }
        _ = try fixture.vault.createLeases(["app/y"], for: holder, terms: LeaseTerms(ttl: 1_000))
        fixture.clock.advance(by: 20)
        #expect(try fixture.vault.sweepLeases(batchSize: 3) == SweepResult(expired: 7, deleted: 0))
        let states = try fixture.rawDatabase().read { connection in
            try connection.query("SELECT state, count(*) FROM leases GROUP BY state ORDER BY state").map {
                "\($0.text(0) ?? "")=\($0.int(1) ?? 0)"
            }
        }
        #expect(states == ["active=1", "expired=7"])
        fixture.clock.advance(by: Double(fixture.vault.options.endedLeaseRetention) + 60)
        #expect(try fixture.vault.sweepLeases(batchSize: 3).deleted == 7)
    }

    @Test func jobTokenLeasesOnlyItsDeclaredSecretsAndRevocationEndsThemAll() throws {
        let (fixture, _) = try setUp()
        let credential = try fixture.vault.issueJobCredential(
            jobID: "job-42", secretPaths: ["app/x", "app/y"], ttl: 600)
        let job = try fixture.vault.authenticate(token: credential.token)
        #expect(job.jobID == "job-42")
        _ = try fixture.put("unrelated", at: "app/z")
        #expect(vaultErrorCode { _ = try fixture.vault.createLeases(["app/z"], for: job) } == .forbidden)
        #expect(
            vaultErrorCode { try fixture.vault.authorize(job, .read, on: Vault.secretResource("app/x")) } == .forbidden)
        let leases = try fixture.vault.createLeases(["app/x", "app/y"], for: job)
        #expect(try fixture.vault.jobLeases(jobID: "job-42").map(\.path).sorted() == ["app/x", "app/y"])

        let result = try fixture.vault.revokeJobCredentials(jobID: "job-42")
        #expect(result == RevocationResult(tokens: 1, leases: 2))
        #expect(vaultErrorCode { _ = try fixture.vault.authenticate(token: credential.token) } == .unauthenticated)
        let root = try fixture.vault.authenticate(token: fixture.rootToken)
        for leased in leases {
            #expect(
                vaultErrorCode { _ = try fixture.vault.leasedSecret(id: leased.lease.id, by: root) } == .leaseRevoked)
        }
        #expect(try fixture.vault.revokeJobCredentials(jobID: "job-42") == RevocationResult(tokens: 0, leases: 0))
    }

    @Test func coldStartDoesNotReadTheLeasesTable() throws {
        let (fixture, holder) = try setUp()
        let leased = try #require(try fixture.vault.createLeases(["app/x"], for: holder).first)
        let raw = try fixture.rawDatabase()
        try raw.write { connection in
            try connection.run(
                """
                WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000)
                INSERT INTO leases (id, token_id, path, version, ttl, created_at, expires_at, max_expires_at)
                SELECT printf('bulk%028d', i), ?1, 'app/x', 1, 60, 0, 60, 60 FROM n
                """, .text(holder.id))
            // Any read of the leases table now fails: abs() of the smallest integer overflows.
            try connection.execute(
                """
                ALTER TABLE leases RENAME TO leases_held;
                CREATE VIEW leases AS SELECT * FROM leases_held WHERE abs(-9223372036854775807 - 1) > 0;
                """)
        }
        let reopened = try fixture.reopen()
        try reopened.unseal(key: fixture.unsealKey)
        #expect(reopened.status().isSealed == false)
        _ = try reopened.authenticate(token: fixture.rootToken)
        #expect(vaultErrorCode { _ = try reopened.lease(id: leased.lease.id, by: holder) } == .storage)

        try raw.write { connection in
            try connection.execute("DROP VIEW leases; ALTER TABLE leases_held RENAME TO leases;")
        }
        #expect(try reopened.lease(id: leased.lease.id, by: holder).state == .active)
    }
}
