import Foundation
import Testing

@testable import JobSandbox

@Suite("SecretMasker streaming")
struct SecretMaskerTests {
    static let secret = "hunter2-S3cr3t/value+x"

    @Test func plainValueIsReplaced() {
        var masker = SecretMasker(secrets: [Self.secret.bytes])

        let output = masker.mask("password is \(Self.secret) ok\n".bytes) + masker.flush()

        #expect(output.text == "password is *** ok\n")
    }

    @Test func textWithoutSecretsPassesUnchanged() {
        let text = "building... {\n  \"ok\": true\n}\nhunter3 hunter\n".bytes
        var masker = SecretMasker(secrets: [Self.secret.bytes])

        let output = masker.mask(text) + masker.flush()

        #expect(output == text)
    }

    @Test func valueSplitAtEveryPositionIsStillMasked() {
        let text = "a=\(Self.secret);b=\(Self.secret)\n".bytes
        let automaton = MaskingAutomaton(secrets: [Self.secret.bytes])
        let expected = "a=***;b=***\n".bytes

        for split in 0...text.count {
            var masker = SecretMasker(automaton: automaton)
            let output = masker.mask(Array(text[..<split])) + masker.mask(Array(text[split...])) + masker.flush()
            #expect(output == expected, "split at \(split)")
        }
    }

    @Test func oneBytePerWriteIsMasked() {
        let text = "token: \(Self.secret)\n".bytes
        var masker = SecretMasker(secrets: [Self.secret.bytes])

        let output = MaskingReference.stream(text, through: &masker, chunkSizes: [1])

        #expect(output.text == "token: ***\n")
    }

    @Test func bytesAreHeldBackOnlyWhileTheyCouldStartASecret() {
        var masker = SecretMasker(secrets: [Self.secret.bytes])

        let first = masker.mask("log line hunt".bytes)
        let held = masker.heldBackCount
        let second = masker.mask("ing season\n".bytes)

        #expect(first.text == "log line ")
        #expect(held == 4)
        #expect(second.text == "hunting season\n")
        #expect(masker.heldBackCount == 0)
    }

    @Test func flushReleasesAPartialMatchUnmasked() {
        var masker = SecretMasker(secrets: [Self.secret.bytes])

        let output = masker.mask("end: hunter2-S3c".bytes)
        let rest = masker.flush()

        #expect(output.text == "end: ")
        #expect(rest.text == "hunter2-S3c")
        #expect(masker.flush().isEmpty)
    }

    @Test func overlappingSecretsBecomeOneReplacement() {
        var masker = SecretMasker(secrets: ["abcdef".bytes, "defghi".bytes])

        let output = masker.mask("xxabcdefghiyy abcdef".bytes) + masker.flush()

        #expect(output.text == "xx***yy ***")
    }

    @Test func secretContainingAnotherIsMaskedWhole() {
        var masker = SecretMasker(secrets: ["inner-key".bytes, "outer-inner-key-end".bytes])

        let output = masker.mask("1 outer-inner-key-end 2 inner-key 3".bytes) + masker.flush()

        #expect(output.text == "1 *** 2 *** 3")
    }

    @Test func secretsShorterThanFourBytesAreNotMaskedAlone() {
        var masker = SecretMasker(secrets: ["abc".bytes, "{".bytes])

        let output = masker.mask("abc { abc}".bytes) + masker.flush()

        #expect(output.text == "abc { abc}")
        #expect(masker.automaton.patternCount == 0)
    }

    @Test func multiLinePEMValueIsMaskedWholeAndLineByLine() {
        let pem = """
            -----BEGIN PRIVATE KEY-----
            MIIEvQIBADANBgkqhkiG9w0BAQEFAASC
            BKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj
            {
            -----END PRIVATE KEY-----

            """
        var masker = SecretMasker(secrets: [pem.bytes])
        let lines = pem.split(separator: "\n")

        let whole = masker.mask("key:\n\(pem)done\n".bytes) + masker.flush()
        let second = masker.mask("line \(lines[1]) alone\n".bytes) + masker.flush()
        let brace = masker.mask("{\n  \"a\": 1\n}\n".bytes) + masker.flush()
        let crlf = masker.mask(lines.joined(separator: "\r\n").bytes) + masker.flush()

        #expect(whole.text == "key:\n***done\n")
        #expect(second.text == "line *** alone\n")
        #expect(brace.text == "{\n  \"a\": 1\n}\n")
        #expect(!crlf.text.contains("MIIEv") && !crlf.text.contains("BKcwg") && !crlf.text.contains("PRIVATE"))
    }

    @Test func valueReadFromAFileWithATrailingNewlineIsMaskedWithoutIt() {
        var masker = SecretMasker(secrets: ["s3cret-token\n".bytes])

        let output = masker.mask("echo: s3cret-token.".bytes) + masker.flush()

        #expect(output.text == "echo: ***.")
    }

    @Test func streamingAgreesWithTheReferenceForRandomTextAndChunking() {
        var generator = SeededGenerator(seed: 42)
        let alphabet = "ab-/+= \n\"\\".bytes
        for round in 0..<200 {
            let secrets = (0..<Int.random(in: 1...3, using: &generator)).map { _ in
                (0..<Int.random(in: 1...12, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! }
            }
            var text: [UInt8] = []
            for _ in 0..<Int.random(in: 0...12, using: &generator) {
                text += (0..<Int.random(in: 0...6, using: &generator)).map { _ in
                    alphabet.randomElement(using: &generator)!
                }
                text += secrets.randomElement(using: &generator)!
            }
            let automaton = MaskingAutomaton(secrets: secrets)
            var patterns = Set<[UInt8]>()
            for secret in secrets { patterns.formUnion(SecretForms.patterns(for: secret)) }
            let expected = MaskingReference.mask(text, patterns: Array(patterns))
            let sizes = (0..<4).map { _ in Int.random(in: 1...9, using: &generator) }
            var masker = SecretMasker(automaton: automaton)

            let output = MaskingReference.stream(text, through: &masker, chunkSizes: sizes)

            #expect(output == expected, "round \(round)")
        }
    }

    @Test func maskerKeepsUpWithAMegabyteOfLog() {
        let line = "2024-01-01T00:00:00Z step: compiling module 42 of 97, token=\(Self.secret)\n"
        let text = Array(String(repeating: line, count: 16_000).utf8)
        var masker = SecretMasker(secrets: [Self.secret.bytes, "another-secret-value".bytes])

        let output = MaskingReference.stream(text, through: &masker, chunkSizes: [65_536, 4_093])

        #expect(text.count > 1 << 20)
        #expect(
            output
                == Array(String(repeating: line.replacingOccurrences(of: Self.secret, with: "***"), count: 16_000).utf8)
        )
    }
}
