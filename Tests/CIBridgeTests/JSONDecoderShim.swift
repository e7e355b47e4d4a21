import Foundation

/// Encodes a value to JSON and back, as the scheduler will when it stores compiled pipelines.
enum JSONDecoderShim {
    static func roundTrip<Value: Codable>(_ value: Value) throws -> Value {
        let data = try JSONEncoder().encode(value)
        return try JSONDecoder().decode(Value.self, from: data)
    }
}
