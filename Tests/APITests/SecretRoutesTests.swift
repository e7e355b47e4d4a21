import Cryptography
import Foundation
import Testing

@testable import API

@Suite struct SecretRoutesTests {
    @Test func putGetVersionsAndCheckAndSetRoundTripThroughCurl() throws {
        let server = try LiveServer()
        let token = server.rootToken
        let put = try server.curl("PUT", "/v1/secrets/app/db", body: #"{"value": "one"}"#, token: token)
        #expect(put.status == 200)
        #expect(put.json?["version"] as? Int == 1)
        #expect(
            try server.curl("PUT", "/v1/secrets/app/db", body: #"{"value": "two", "cas": 1}"#, token: token).status
                == 200)
        let conflict = try server.curl("PUT", "/v1/secrets/app/db", body: #"{"value": "x", "cas": 1}"#, token: token)
        #expect(conflict.status == 409)
        #expect(conflict.errorCode == "cas_mismatch")
        let read = try server.curl("GET", "/v1/secrets/app/db", token: token)
        #expect(read.json?["value"] as? String == "two")
        #expect(read.json?["version"] as? Int == 2)
        let old = try server.curl("GET", "/v1/secrets/app/db?version=1", token: token)
        #expect(old.json?["value"] as? String == "one")
        let versions = try server.curl("GET", "/v1/secrets/app/db/versions", token: token)
        #expect((versions.json?["versions"] as? [[String: Any]])?.count == 2)
        let list = try server.curl("GET", "/v1/secrets?prefix=app/", token: token)
        let listed = list.json?["secrets"] as? [[String: Any]]
        #expect(listed?.first?["path"] as? String == "app/db")
        #expect(listed?.first?["value"] == nil)
    }

    @Test func deleteUndeleteAndDestroyRoundTripThroughCurl() throws {
        let server = try LiveServer()
        let token = server.rootToken
        try server.curl("PUT", "/v1/secrets/app/db", body: #"{"value": "one"}"#, token: token)
        #expect(try server.curl("DELETE", "/v1/secrets/app/db", token: token).status == 200)
        let gone = try server.curl("GET", "/v1/secrets/app/db", token: token)
        #expect(gone.status == 404)
        #expect(gone.errorCode == "secret_deleted")
        #expect(
            try server.curl("POST", "/v1/secrets/app/db/undelete", body: #"{"version": 1}"#, token: token).status == 200
        )
        #expect(try server.curl("GET", "/v1/secrets/app/db", token: token).json?["value"] as? String == "one")
        #expect(
            try server.curl("POST", "/v1/secrets/app/db/destroy", body: #"{"version": 1}"#, token: token).status == 200)
        #expect(try server.curl("GET", "/v1/secrets/app/db", token: token).errorCode == "secret_destroyed")
    }

    @Test func sealedServerAnswers503AndUnsealsWithTheKey() throws {
        let server = try LiveServer()
        let token = server.rootToken
        try server.curl("PUT", "/v1/secrets/app/db", body: #"{"value": "one"}"#, token: token)
        #expect(try server.curl("POST", "/v1/operator/seal", token: token).status == 200)
        let sealed = try server.curl("GET", "/v1/secrets/app/db", token: token)
        #expect(sealed.status == 503)
        #expect(sealed.errorCode == "sealed")
        #expect(try server.curl("PUT", "/v1/secrets/app/x", body: #"{"value": "1"}"#, token: token).status == 503)
        #expect(try server.curl("GET", "/v1/secrets", token: token).status == 503)
        let health = try server.curl("GET", "/v1/health")
        #expect(health.json?["sealed"] as? Bool == true)
        let key = server.unsealKey.withUnsafeBytes { Data($0).base64EncodedString() }
        let wrong = try server.curl(
            "POST", "/v1/operator/unseal", body: #"{"key": "\#(Data(count: 32).base64EncodedString())"}"#)
        #expect(wrong.status == 400)
        #expect(try server.curl("POST", "/v1/operator/unseal", body: #"{"key": "\#(key)"}"#).status == 200)
        #expect(try server.curl("GET", "/v1/secrets/app/db", token: token).json?["value"] as? String == "one")
    }

    @Test func rotateKeepsOldVersionsReadable() throws {
        let server = try LiveServer()
        let token = server.rootToken
        try server.curl("PUT", "/v1/secrets/app/db", body: #"{"value": "old"}"#, token: token)
        #expect(try server.curl("POST", "/v1/operator/rotate", token: token).json?["term"] as? Int == 2)
        try server.curl("PUT", "/v1/secrets/app/db", body: #"{"value": "new"}"#, token: token)
        #expect(try server.curl("GET", "/v1/secrets/app/db?version=1", token: token).json?["key_term"] as? Int == 1)
        #expect(try server.curl("GET", "/v1/secrets/app/db", token: token).json?["key_term"] as? Int == 2)
    }

    @Test func secretValueNeverReachesTheDatabaseFilesOrTheLog() throws {
        let server = try LiveServer()
        let value = Hex.encode(try SecureRandom.bytes(20))
        try server.curl("PUT", "/v1/secrets/app/db", body: #"{"value": "\#(value)"}"#, token: server.rootToken)
        #expect(
            try server.curl("GET", "/v1/secrets/app/db", token: server.rootToken).json?["value"] as? String == value)
        let forms = [value, Hex.encode(Array(value.utf8)), Data(value.utf8).base64EncodedString()]
        for suffix in ["", "-wal"] {
            let contents =
                (try? Data(contentsOf: URL(fileURLWithPath: server.directory.file("vault.db" + suffix)))) ?? Data()
            for form in forms {
                #expect(contents.range(of: Data(form.utf8)) == nil)
            }
        }
        let log = server.logs.records.map(\.formatted).joined(separator: "\n")
        #expect(!log.isEmpty)
        for form in forms + [server.rootToken] {
            #expect(!log.contains(form))
        }
    }
}
