/// A `Content-Disposition` value split into its type and parameters (RFC 6266, RFC 7578).
struct MultipartDisposition {
    /// The disposition type, such as `form-data`.
    var type: String
    /// Parameters by lower-cased name; the first of a repeated name wins.
    var parameters: [String: String]
    /// Names given more than once.
    var repeatedNames: Set<String> = []

    /// Parses leniently: a parameter that cannot be read ends the parsing, keeping those before it.
    init(_ text: String) {
        var scanner = Scanner(Array(text.unicodeScalars))
        type = scanner.token()
        parameters = [:]
        while scanner.skip(";") {
            let name = scanner.token().lowercased()
            guard !name.isEmpty, scanner.skip("=") else { break }
            let value = scanner.peek == "\"" ? scanner.quoted() : scanner.token()
            guard let value else { break }
            if parameters[name] == nil {
                parameters[name] = value
            } else {
                repeatedNames.insert(name)
            }
        }
    }

    /// Decodes an RFC 5987 `ext-value` such as `UTF-8''%E2%82%AC%20rates.txt`.
    ///
    /// UTF-8 and ISO-8859-1 are understood; other charsets give nil so the plain `filename` is used.
    static func extendedValue(_ text: String) -> String? {
        let pieces = text.split(separator: "'", maxSplits: 2, omittingEmptySubsequences: false)
        guard pieces.count == 3 else { return nil }
        guard let bytes = try? PercentEncoding.decode(pieces[2].utf8) else { return nil }
        switch pieces[0].lowercased() {
        case "utf-8": return String(validating: bytes, as: UTF8.self)
        case "iso-8859-1": return String(String.UnicodeScalarView(bytes.map { Unicode.Scalar($0) }))
        default: return nil
        }
    }

    /// Walks the header value one Unicode scalar at a time.
    private struct Scanner {
        private let scalars: [Unicode.Scalar]
        private var index = 0

        init(_ scalars: [Unicode.Scalar]) {
            self.scalars = scalars
        }

        var peek: Unicode.Scalar? {
            index < scalars.count ? scalars[index] : nil
        }

        mutating func skipSpaces() {
            while let scalar = peek, scalar == " " || scalar == "\t" { index += 1 }
        }

        /// Skips spaces, then `character` if it is next.
        mutating func skip(_ character: Unicode.Scalar) -> Bool {
            skipSpaces()
            guard peek == character else { return false }
            index += 1
            skipSpaces()
            return true
        }

        /// A run of anything but separators, spaces trimmed.
        mutating func token() -> String {
            skipSpaces()
            var text = String.UnicodeScalarView()
            while let scalar = peek, scalar != ";", scalar != "=", scalar != " ", scalar != "\t", scalar != "\"" {
                text.append(scalar)
                index += 1
            }
            return String(text)
        }

        /// A quoted string; backslash escapes one character. curl and browsers send a `"` inside
        /// a file name as `%22` (the HTML form encoding), which is turned back here.
        mutating func quoted() -> String? {
            index += 1
            var text = String.UnicodeScalarView()
            while let scalar = peek {
                index += 1
                switch scalar {
                case "\"":
                    return String(text).replacingPercentQuotes()
                case "\\":
                    guard let escaped = peek else { return nil }
                    text.append(escaped)
                    index += 1
                default:
                    text.append(scalar)
                }
            }
            return nil
        }
    }
}

extension String {
    fileprivate func replacingPercentQuotes() -> String {
        let scalars = Array(unicodeScalars)
        var result = String.UnicodeScalarView()
        var index = 0
        while index < scalars.count {
            if scalars[index] == "%", index + 2 < scalars.count, scalars[index + 1] == "2", scalars[index + 2] == "2" {
                result.append("\"")
                index += 3
            } else {
                result.append(scalars[index])
                index += 1
            }
        }
        return String(result)
    }
}
