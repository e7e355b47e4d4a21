import Foundation
import HTTPServer

/// A request's JSON object, read strictly: unknown fields and wrong types are client errors.
struct JSONBody {
    private let object: [String: Any]

    /// Parses `bytes` as one JSON object whose keys are all in `allowed`. An empty body is `{}`.
    init(_ bytes: [UInt8], allowed: Set<String>) throws(APIError) {
        if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x0a || $0 == 0x0d || $0 == 0x09 }) {
            object = [:]
            return
        }
        let parsed: Any
        do {
            parsed = try JSONSerialization.jsonObject(with: Data(bytes), options: [])
        } catch {
            throw APIError.invalidJSON("the request body is not valid JSON")
        }
        guard let dictionary = parsed as? [String: Any] else {
            throw APIError.invalidJSON("the request body must be a JSON object")
        }
        if let unknown = dictionary.keys.sorted().first(where: { !allowed.contains($0) }) {
            let known = allowed.sorted().map { "'\($0)'" }.joined(separator: ", ")
            throw APIError.invalidJSON("unknown field '\(JSONBody.printable(unknown))'; known fields: \(known)")
        }
        object = dictionary
    }

    /// A required string field.
    func string(_ key: String) throws(APIError) -> String {
        guard let value = try optionalString(key) else {
            throw APIError.invalidJSON("the field '\(key)' is required")
        }
        return value
    }

    /// An optional string field; null counts as absent.
    func optionalString(_ key: String) throws(APIError) -> String? {
        guard let raw = object[key], !(raw is NSNull) else { return nil }
        guard let value = raw as? String else {
            throw APIError.invalidJSON("the field '\(key)' must be a string")
        }
        return value
    }

    /// An optional whole-number field within `range`; null counts as absent.
    func optionalInteger(_ key: String, in range: ClosedRange<Int64>) throws(APIError) -> Int64? {
        guard let raw = object[key], !(raw is NSNull) else { return nil }
        // JSONSerialization yields NSNumber for numbers and Booleans; accept only integral numbers.
        guard let number = raw as? NSNumber, !JSONBody.isBoolean(number) else {
            throw APIError.invalidJSON("the field '\(key)' must be a whole number")
        }
        let double = number.doubleValue
        guard double.rounded() == double, let value = Int64(exactly: double), range.contains(value) else {
            throw APIError.invalidJSON(
                "the field '\(key)' must be a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }

    /// A required whole-number field within `range`.
    func integer(_ key: String, in range: ClosedRange<Int64>) throws(APIError) -> Int64 {
        guard let value = try optionalInteger(key, in: range) else {
            throw APIError.invalidJSON("the field '\(key)' is required")
        }
        return value
    }

    /// JSONSerialization hands Booleans over as NSNumber whose C type is `char`.
    private static func isBoolean(_ number: NSNumber) -> Bool {
        String(cString: number.objCType) == "c"
    }

    /// Field names echo back in messages; keep them short and printable.
    private static func printable(_ text: String) -> String {
        String(text.unicodeScalars.filter { $0.value >= 0x20 && $0.value < 0x7f }.prefix(40).map(Character.init))
    }
}

/// Builds JSON responses with stable key order; never cached by clients or proxies.
enum JSONResponse {
    /// Encodes `object`, which holds only JSON-compatible values.
    static func make(_ status: Int, _ object: [String: Any]) -> HTTPResponse {
        var headers = HTTPHeaders()
        headers.add("Content-Type", "application/json")
        headers.add("Cache-Control", "no-store")
        return HTTPResponse(status: status, headers: headers, body: .bytes(JSONWriter.encode(object)))
    }

    /// A timestamp in seconds since 1970 as an RFC 3339 string in UTC, such as `2026-12-03T16:00:00Z`.
    static func time(_ seconds: Int64) -> String {
        var time = time_t(seconds)
        var parts = tm()
        gmtime_r(&time, &parts)
        let fields = [parts.tm_mon + 1, parts.tm_mday, parts.tm_hour, parts.tm_min, parts.tm_sec].map(twoDigits)
        return "\(parts.tm_year + 1900)-\(fields[0])-\(fields[1])T\(fields[2]):\(fields[3]):\(fields[4])Z"
    }

    private static func twoDigits(_ value: Int32) -> String {
        value < 10 ? "0\(value)" : "\(value)"
    }

    /// A timestamp, or JSON null.
    static func time(_ seconds: Int64?) -> Any {
        seconds.map { time($0) } ?? NSNull()
    }
}
