import CIBridge
import Testing

/// Hostile YAML is refused early and cheaply, with a line.
@Suite struct YAMLLimitTests {
    @Test func deepNestingIsRefusedAtTheLimit() {
        let depth = 10_000
        let yaml = "jobs: " + String(repeating: "[", count: depth) + String(repeating: "]", count: depth) + "\n"
        let error = PipelineFixtures.error(yaml)
        #expect(error?.code == .yamlLimit)
        #expect(error?.reason.contains("deeper than 64") == true)
        #expect(error?.location.line == 1)
    }

    @Test func nestingJustUnderTheLimitIsOnlyATypeError() {
        let yaml = "jobs: " + String(repeating: "[", count: 63) + String(repeating: "]", count: 63) + "\n"
        #expect(PipelineFixtures.error(yaml)?.code == .wrongType)
    }

    @Test func aliasBombIsRefusedAtTheFirstAlias() {
        var lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
        for level in 1...9 {
            let refs = Array(repeating: "*a\(level - 1)", count: 9).joined(separator: ", ")
            lines.append("a\(level): &a\(level) [\(refs)]")
        }
        let error = PipelineFixtures.error(lines.joined(separator: "\n") + "\njobs: {}\n")
        #expect(error?.code == .yamlSyntax)
        #expect(error?.reason.contains("aliases") == true)
        #expect(error?.location.line == 2)
    }

    @Test func mergeKeysAndTagsAreRefused() {
        let merge = "base: &base { steps: [{ run: make }] }\njobs:\n  a:\n    <<: *base\n"
        #expect(PipelineFixtures.error(merge)?.location.line == 4)
        let tag = "jobs:\n  a:\n    steps: [{ run: !!binary aGk= }]\n"
        #expect(PipelineFixtures.error(tag)?.code == .yamlSyntax)
        #expect(PipelineFixtures.error(tag)?.location.line == 3)
    }

    @Test func tooManyNodesAndTooManyBytesAreRefused() {
        let wide = "jobs: [" + Array(repeating: "x", count: 60_000).joined(separator: ",") + "]\n"
        #expect(PipelineFixtures.error(wide)?.code == .yamlLimit)
        let huge = "# " + String(repeating: "x", count: 600 * 1024) + "\njobs: {}\n"
        #expect(PipelineFixtures.error(huge)?.code == .yamlLimit)
    }

    @Test func smallerLimitsAreHonoured() {
        let limits = PipelineCompiler.Limits(
            yaml: YAMLLimits(maximumBytes: 1_024, maximumDepth: 4, maximumNodes: 10), matrixCombinations: 4, jobs: 2)
        let compiler = PipelineCompiler(limits: limits)
        let yaml = "jobs:\n  a:\n    steps: [{ run: make, env: { A: b } }]\n"
        #expect(throws: PipelineError(.yamlLimit, "", at: .init(line: 1, column: 1))) {
            try compiler.compile(yaml, push: PipelineFixtures.mainPush)
        }
    }

    @Test func emptyFilesAndSeveralDocumentsAreRefused() {
        #expect(PipelineFixtures.error("")?.code == .yamlSyntax)
        #expect(PipelineFixtures.error("# only a comment\n")?.code == .yamlSyntax)
        let two = "jobs:\n  a:\n    steps: [{ run: x }]\n---\njobs: {}\n"
        #expect(PipelineFixtures.error(two)?.location.line == 4)
        #expect(PipelineFixtures.error("- a\n- b\n")?.code == .wrongType)
        #expect(PipelineFixtures.error("jobs: {a: \"\\xZZ\"}\n")?.code == .yamlSyntax)
    }

    @Test func invalidUTF8IsASyntaxErrorNotACrash() throws {
        let bytes: [UInt8] = Array("jobs:\n  a:\n    steps: [{ run: ".utf8) + [0xFF, 0xFE] + Array(" }]\n".utf8)
        #expect(throws: PipelineError.self) { try PipelineCompiler().compile(bytes, push: PipelineFixtures.mainPush) }
    }
}
