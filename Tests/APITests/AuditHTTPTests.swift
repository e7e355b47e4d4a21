import Cryptography
import Foundation
import TestSupport
import Testing
import Vault

@Suite struct AuditHTTPTests {
    @Test func auditLogHoldsNoSecretValueTokenOrLeaseIdAfterAWorkload() throws {
        let server = try LiveServer()
        let values = ["plain-secret-value-1", "second \"quoted\" value", "ünïcødé-välue"]
        for (index, value) in values.enumerated() {
            let body = try JSONSerialization.data(withJSONObject: ["value": value])
            let stored = try server.curl(
                "PUT", "/v1/secrets/app/s\(index)", body: String(decoding: body, as: UTF8.self), token: server.rootToken
            )
            #expect(stored.status == 200)
        }
        let holder = try server.token(rules: #"[{"path": "app/*", "capabilities": ["read", "lease"]}]"#)
        var leaseIDs: [String] = []
        for index in values.indices {
            #expect(try server.curl("GET", "/v1/secrets/app/s\(index)", token: holder.token).status == 200)
            let created = try server.curl(
                "POST", "/v1/leases", body: "{\"secrets\": [\"app/s\(index)\"]}", token: holder.token)
            let id = try #require(created.leases.first?["id"] as? String)
            leaseIDs.append(id)
            #expect(try server.curl("GET", "/v1/leases/\(id)", token: holder.token).status == 200)
            #expect(try server.curl("POST", "/v1/leases/\(id)/renew", token: holder.token).status == 200)
        }
        #expect(try server.curl("DELETE", "/v1/leases/\(leaseIDs[0])", token: holder.token).status == 200)
        #expect(try server.curl("GET", "/v1/secrets/app/s0", token: "not-a-valid-token-at-all").status == 401)

        let log = try String(contentsOfFile: server.auditPath, encoding: .utf8)
        #expect(log.split(separator: "\n").count > 30)
        let escaped = try values.map {
            String(decoding: try JSONSerialization.data(withJSONObject: [$0]), as: UTF8.self)
        }
        for needle in values + escaped.map({ String($0.dropFirst(2).dropLast(2)) }) + leaseIDs
            + [server.rootToken, holder.token, "not-a-valid-token-at-all"]
        {
            #expect(!log.contains(needle), "the audit log holds a secret")
        }
        #expect(log.contains(server.audit.digest(values[0])))
        #expect(log.contains(server.audit.digest(holder.token)))
        #expect(log.contains(server.audit.digest(leaseIDs[1])))
        #expect(log.contains("\"token_id\":\"\(holder.id)\""))
        #expect(try AuditVerifier.verify(fileAt: server.auditPath) == .intact(lines: log.split(separator: "\n").count))
    }

    @Test func auditHashRouteMatchesTheLogAndNeedsAdmin() throws {
        let server = try LiveServer()
        let hashed = try server.curl("POST", "/v1/audit/hash", body: #"{"value": "abc"}"#, token: server.rootToken)
        #expect(hashed.json?["digest"] as? String == server.audit.digest("abc"))
        let reader = try server.token(rules: #"[{"path": "app/*", "capabilities": ["read"]}]"#)
        #expect(
            try server.curl("POST", "/v1/audit/hash", body: #"{"value": "abc"}"#, token: reader.token).status == 403)
    }

    @Test func fullAuditFilesystemRefusesReadsAndLeasesUntilThereIsSpace() throws {
        let outer = TemporaryDirectory()
        let mountPoint = outer.file("audit-fs")
        try FileManager.default.createDirectory(atPath: mountPoint, withIntermediateDirectories: true)
        let mounted = try CommandRunner.run("/bin/mount", ["-t", "tmpfs", "-o", "size=256k", "tmpfs", mountPoint])
        // Without permission to mount, /dev/full stands in: it always fails, so only refusal is checked.
        let auditPath = mounted.exitCode == 0 ? mountPoint + "/audit.log" : "/dev/full"
        defer { if mounted.exitCode == 0 { _ = try? CommandRunner.run("/bin/umount", ["-l", mountPoint]) } }

        let server = try LiveServer(auditPath: auditPath)
        defer { server.server.stop(graceSeconds: 0) }
        if mounted.exitCode == 0 {
            try server.putSecret("app/db", "full-disk-secret")
        } else {
            let path = try SecretPath("app/db")
            try server.vault.putSecret(SecretBytes(Array("full-disk-secret".utf8)), at: path)
        }
        let filler = mountPoint + "/filler"
        if mounted.exitCode == 0 {
            _ = try CommandRunner.run("/bin/dd", ["if=/dev/zero", "of=\(filler)", "bs=4096"])
            // The log's last page may still have room for a few lines; use it up with health checks.
            for _ in 0..<40 where try server.curl("GET", "/v1/health").status != 503 {}
        }

        let read = try server.curl("GET", "/v1/secrets/app/db", token: server.rootToken)
        #expect(read.status == 503)
        #expect(read.errorCode == "audit_unavailable")
        #expect(!read.body.contains("full-disk-secret"))
        let lease = try server.curl("POST", "/v1/leases", body: #"{"secrets": ["app/db"]}"#, token: server.rootToken)
        #expect(lease.status == 503)
        #expect(!lease.body.contains("full-disk-secret"))
        #expect(
            try server.vault.leases(
                heldBy: server.vault.authenticate(token: server.rootToken).id,
                by: server.vault.authenticate(token: server.rootToken)
            ).isEmpty)

        guard mounted.exitCode == 0 else { return }
        try FileManager.default.removeItem(atPath: filler)
        let again = try server.curl("GET", "/v1/secrets/app/db", token: server.rootToken)
        #expect(again.status == 200)
        #expect(again.json?["value"] as? String == "full-disk-secret")
        let leased = try server.curl("POST", "/v1/leases", body: #"{"secrets": ["app/db"]}"#, token: server.rootToken)
        #expect(leased.status == 200)
        #expect(leased.leases.first?["value"] as? String == "full-disk-secret")
        guard case .intact = try AuditVerifier.verify(fileAt: auditPath) else {
            Issue.record("failed writes left the chain broken")
            return
        }
    }
}
