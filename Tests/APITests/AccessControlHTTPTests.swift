import Foundation
import Testing

@Suite struct AccessControlHTTPTests {
    @Test func readTokenOnAppReadsAppAndIsRefusedElsewhere() throws {
        let server = try LiveServer()
        try server.putSecret("app/x", "app-value")
        try server.putSecret("other/x", "other-value")
        let reader = try server.token(rules: #"[{"path": "app/*", "capabilities": ["read"]}]"#)
        let allowed = try server.curl("GET", "/v1/secrets/app/x", token: reader.token)
        #expect(allowed.status == 200)
        #expect(allowed.json?["value"] as? String == "app-value")
        let other = try server.curl("GET", "/v1/secrets/other/x", token: reader.token)
        #expect(other.status == 403)
        #expect(!other.body.contains("other-value"))
        let write = try server.curl("PUT", "/v1/secrets/app/x", body: #"{"value": "new"}"#, token: reader.token)
        #expect(write.status == 403)
    }

    @Test func revokedTokenGets401() throws {
        let server = try LiveServer()
        try server.putSecret("app/x", "v")
        let reader = try server.token(rules: #"[{"path": "app/*", "capabilities": ["read"]}]"#)
        #expect(try server.curl("DELETE", "/v1/tokens/\(reader.id)", token: server.rootToken).status == 200)
        #expect(try server.curl("GET", "/v1/secrets/app/x", token: reader.token).status == 401)
        #expect(try server.curl("GET", "/v1/tokens/self", token: reader.token).status == 401)
    }

    @Test func expiredTokenGets401() throws {
        let server = try LiveServer()
        let reader = try server.token(rules: #"[{"path": "app/*", "capabilities": ["read"]}]"#, ttl: "1s")
        Thread.sleep(forTimeInterval: 2.1)
        #expect(try server.curl("GET", "/v1/tokens/self", token: reader.token).status == 401)
    }

    @Test func shortLeaseAnswers410WithoutValueAfterItsTTL() throws {
        let server = try LiveServer()
        try server.putSecret("app/db", "lease-me")
        let holder = try server.token(rules: #"[{"path": "app/*", "capabilities": ["lease"]}]"#)
        let created = try server.curl(
            "POST", "/v1/leases", body: #"{"secrets": ["app/db"], "ttl": "2s"}"#, token: holder.token)
        #expect(created.status == 200)
        let lease = try #require(created.leases.first)
        #expect(lease["value"] as? String == "lease-me")
        let id = try #require(lease["id"] as? String)
        #expect(try server.curl("GET", "/v1/leases/\(id)", token: holder.token).status == 200)
        Thread.sleep(forTimeInterval: 3)
        let expired = try server.curl("GET", "/v1/leases/\(id)", token: holder.token)
        #expect(expired.status == 410)
        #expect(expired.errorCode == "lease_expired")
        #expect(!expired.body.contains("lease-me"))
    }

    @Test func singleUseLeaseAnswers410OnSecondRead() throws {
        let server = try LiveServer()
        try server.putSecret("app/db", "once")
        let holder = try server.token(rules: #"[{"path": "app/**", "capabilities": ["lease"]}]"#)
        let created = try server.curl(
            "POST", "/v1/leases", body: #"{"secrets": ["app/db"], "uses": 1}"#, token: holder.token)
        #expect(created.leases.first?["value"] as? String == "once")
        let id = try #require(created.leases.first?["id"] as? String)
        let second = try server.curl("GET", "/v1/leases/\(id)", token: holder.token)
        #expect(second.status == 410)
        #expect(!second.body.contains("once"))
    }

    @Test func revokingATokenEndsAllItsLeasesAtOnce() throws {
        let server = try LiveServer()
        try server.putSecret("app/a", "va")
        try server.putSecret("app/b", "vb")
        let holder = try server.token(rules: #"[{"path": "app/*", "capabilities": ["lease"]}]"#)
        let created = try server.curl(
            "POST", "/v1/leases", body: #"{"secrets": ["app/a", "app/b"]}"#, token: holder.token)
        let ids = created.leases.compactMap { $0["id"] as? String }
        #expect(ids.count == 2)
        let revoked = try server.curl("DELETE", "/v1/tokens/\(holder.id)", token: server.rootToken)
        #expect(revoked.json?["revoked_leases"] as? Int == 2)
        for id in ids {
            let read = try server.curl("GET", "/v1/leases/\(id)", token: server.rootToken)
            #expect(read.status == 410)
            #expect(read.errorCode == "lease_revoked")
        }
    }

    @Test func leaseNeedsLeaseCapabilityOnEveryPath() throws {
        let server = try LiveServer()
        try server.putSecret("app/a", "va")
        let reader = try server.token(rules: #"[{"path": "app/*", "capabilities": ["read"]}]"#)
        let refused = try server.curl("POST", "/v1/leases", body: #"{"secrets": ["app/a"]}"#, token: reader.token)
        #expect(refused.status == 403)
        #expect(!refused.body.contains("va"))
    }

    @Test func renewReportsTheCappedExpiry() throws {
        let server = try LiveServer()
        try server.putSecret("app/a", "va")
        let holder = try server.token(rules: #"[{"path": "app/*", "capabilities": ["lease"]}]"#)
        let created = try server.curl(
            "POST", "/v1/leases", body: #"{"secrets": ["app/a"], "ttl": "1m", "max_ttl": "5m"}"#, token: holder.token)
        let id = try #require(created.leases.first?["id"] as? String)
        let renewed = try server.curl(
            "POST", "/v1/leases/\(id)/renew", body: #"{"increment": "1h"}"#, token: holder.token)
        #expect(renewed.status == 200)
        #expect(renewed.json?["capped"] as? Bool == true)
        #expect(renewed.json?["expires_at"] as? String == created.leases.first?["max_expires_at"] as? String)
        #expect(renewed.json?["value"] == nil)
    }

    @Test func sealedVaultAnswers503OnLeaseRoutes() throws {
        let server = try LiveServer()
        try server.vault.seal()
        let created = try server.curl("POST", "/v1/leases", body: #"{"secrets": ["app/a"]}"#, token: server.rootToken)
        #expect(created.status == 503)
        #expect(try server.curl("GET", "/v1/leases", token: server.rootToken).status == 503)
        #expect(try server.curl("GET", "/v1/leases/abc", token: server.rootToken).status == 503)
    }

    @Test func policiesRoundTripAndRejectUnknownCapabilities() throws {
        let server = try LiveServer()
        let bad = try server.curl(
            "PUT", "/v1/policies/bad", body: #"{"rules": [{"path": "a/*", "capabilities": ["fly"]}]}"#,
            token: server.rootToken)
        #expect(bad.status == 400)
        #expect(bad.errorCode == "invalid_policy")
        let good = try server.curl(
            "PUT", "/v1/policies/good", body: #"{"rules": [{"path": "a/*", "capabilities": ["read"]}]}"#,
            token: server.rootToken)
        #expect(good.status == 200)
        #expect(
            try server.curl("GET", "/v1/policies", token: server.rootToken).json?["policies"] as? [String] == [
                "good", "root",
            ])
        #expect(try server.curl("DELETE", "/v1/policies/good", token: server.rootToken).status == 200)
        #expect(try server.curl("GET", "/v1/policies/good", token: server.rootToken).status == 404)
    }
}
