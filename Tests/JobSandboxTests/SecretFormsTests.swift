import Foundation
import Testing

@testable import JobSandbox

/// Each form is produced here by Foundation, independently of the masker's own encoders.
@Suite("SecretMasker printed forms")
struct SecretFormsTests {
    static let secret = "p@ss w/rd+\"q\"é~*\\1"

    private func masked(_ text: String, secret: String = Self.secret) -> String {
        var masker = SecretMasker(secrets: [secret.bytes])
        return (masker.mask(text.bytes) + masker.flush()).text
    }

    @Test func base64IsMaskedAtAllThreeAlignments() {
        let value = Data(Self.secret.utf8)
        for prefix in ["", "x", "xy", "xyz"] {
            for suffix in ["", "1", "12"] {
                let encoded = (Data(prefix.utf8) + value + Data(suffix.utf8)).base64EncodedString()

                let output = masked("blob \(encoded) end")

                // Only characters that also encode the neighbouring bytes may stay visible.
                let visible = output.count - "blob  end".count - 3
                #expect(output.contains("***"), "prefix \(prefix.count) suffix \(suffix.count)")
                #expect(visible <= 4 + 2 * prefix.count + 4, "prefix \(prefix.count) suffix \(suffix.count): \(output)")
            }
        }
    }

    @Test func base64URLIsMasked() {
        let secret = "\u{fb}\u{ff}\u{fe}secret-bytes>>??"
        let standard = Data(secret.utf8).base64EncodedString()
        let url = standard.replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")

        let output = masked("u=\(url)", secret: secret)

        #expect(standard != url)
        #expect(output.hasPrefix("u=***"))
        #expect(output.count <= "u=***".count + 4)
    }

    @Test func hexInBothCasesIsMasked() {
        let lower = Self.secret.utf8.map { String(format: "%02x", $0) }.joined()
        let upper = lower.uppercased()

        #expect(masked("h=\(lower);") == "h=***;")
        #expect(masked("H=\(upper);") == "H=***;")
    }

    @Test func urlEncodedFormsAreMasked() throws {
        var unreserved = CharacterSet.alphanumerics.intersection(CharacterSet(charactersIn: "\u{0}"..."\u{7f}"))
        unreserved.insert(charactersIn: "-._~")
        let strict = try #require(Self.secret.addingPercentEncoding(withAllowedCharacters: unreserved))
        var formSafe = unreserved
        formSafe.insert(" ")
        let form = try #require(Self.secret.addingPercentEncoding(withAllowedCharacters: formSafe))
            .replacingOccurrences(of: " ", with: "+")
        var pathSafe = unreserved
        pathSafe.insert("/")
        let path = try #require(Self.secret.addingPercentEncoding(withAllowedCharacters: pathSafe))

        #expect(masked("?q=\(strict)&") == "?q=***&")
        #expect(masked("?q=\(strict.lowercased())&").contains("***") == strict.contains("%"))
        #expect(masked("?q=\(form)&") == "?q=***&")
        #expect(masked("?q=\(path)&") == "?q=***&")
        #expect(strict != form && form != path)
    }

    @Test func jsonEscapedFormsAreMasked() throws {
        let encoder = JSONEncoder()
        let slashed = String(decoding: try encoder.encode(Self.secret), as: UTF8.self)
        encoder.outputFormatting = .withoutEscapingSlashes
        let plain = String(decoding: try encoder.encode(Self.secret), as: UTF8.self)
        let ascii = "\"p@ss w/rd+\\\"q\\\"\\u00e9~*\\\\1\""

        #expect(slashed.contains("\\/"))
        #expect(masked("{\"k\":\(slashed)}") == "{\"k\":\"***\"}")
        #expect(masked("{\"k\":\(plain)}") == "{\"k\":\"***\"}")
        #expect(masked("{\"k\":\(ascii)}") == "{\"k\":\"***\"}")
    }

    @Test func jsonEscapedMultiLineValueIsMasked() throws {
        let value = "line-one-secret\nline-two-secret\n\tend"
        let json = String(decoding: try JSONEncoder().encode(["v": value]), as: UTF8.self)

        let output = masked(json, secret: value)

        #expect(output == "{\"v\":\"***\"}")
    }

    @Test func linesShorterThanFourCharactersAreNotPatterns() {
        let lines = SecretForms.lines(of: "{\nabc\nabcd\néé\néééé\n}".bytes)

        #expect(lines == ["abcd".bytes, "éééé".bytes])
    }

    @Test func everyPatternHasAtLeastFourBytes() {
        let patterns = SecretForms.patterns(for: "abcd\nxy".bytes)

        #expect(!patterns.isEmpty)
        #expect(patterns.allSatisfy { $0.count >= 4 })
        #expect(!patterns.contains("xy".bytes))
    }
}
