import Foundation
import TestSupport
import Testing

@testable import CIBridge

@Suite struct ArtifactGlobTests {
    @Test(arguments: [
        ("dist/*.jar", "dist/app.jar", true), ("dist/*.jar", "dist/lib/app.jar", false),
        ("dist/*.jar", "dist/app.jar.sha", false), ("dist/a?p.jar", "dist/app.jar", true),
        ("dist/a?p.jar", "dist/ap.jar", false), ("dist/**/*.jar", "dist/app.jar", true),
        ("dist/**/*.jar", "dist/x/y/app.jar", true), ("**/report.xml", "report.xml", true),
        ("**/report.xml", "a/b/report.xml", true), ("**", "any/thing", true), ("*", "a/b", false),
        ("./out/*", "out/file", true), ("out/*-*.tar.gz", "out/app-1.2.tar.gz", true),
        ("out/*-*.tar.gz", "out/app.tar.gz", false), ("a*b*c", "aXXbYYc", true), ("a*b*c", "aXXbYY", false),
    ])
    func globsMatchWithinAndAcrossSegments(pattern: String, path: String, matches: Bool) {
        #expect(ArtifactGlob(pattern).matches(path) == matches, "\(pattern) against \(path)")
    }

    @Test func collectorFindsFilesButNeverFollowsLinksOutOfTheWorkspaceOrIntoTheRunnerDirectory() throws {
        let directory = TemporaryDirectory()
        let root = directory.file("ws")
        let manager = FileManager.default
        for folder in ["dist/lib", ".git", ".vault-runner/tmp/secrets"] {
            try manager.createDirectory(atPath: root + "/" + folder, withIntermediateDirectories: true)
        }
        try "outside".write(toFile: directory.file("outside.jar"), atomically: true, encoding: .utf8)
        for file in ["dist/app.jar", "dist/lib/dep.jar", ".git/x.jar", ".vault-runner/tmp/secrets/KEY"] {
            try "x".write(toFile: root + "/" + file, atomically: true, encoding: .utf8)
        }
        try manager.createSymbolicLink(
            atPath: root + "/dist/escape.jar", withDestinationPath: directory.file("outside.jar"))
        try manager.createSymbolicLink(atPath: root + "/dist/inside.jar", withDestinationPath: root + "/dist/app.jar")
        try manager.createSymbolicLink(
            atPath: root + "/dist/secret.jar", withDestinationPath: root + "/.vault-runner/tmp/secrets/KEY")
        try manager.createSymbolicLink(atPath: root + "/linked", withDestinationPath: directory.path)

        let collector = ArtifactCollector(root: root)
        let jars = collector.collect(ArtifactGlob("**/*.jar"))
        #expect(jars.matches.map(\.relativePath) == ["dist/app.jar", "dist/inside.jar", "dist/lib/dep.jar"])
        #expect(jars.refusedLinks == ["dist/escape.jar", "dist/secret.jar"])
        #expect(collector.collect(ArtifactGlob("**/KEY")).matches.isEmpty)
        #expect(collector.collect(ArtifactGlob("missing/*")).matches.isEmpty)
    }
}
