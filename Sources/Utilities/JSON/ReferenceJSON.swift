import Foundation

/// The naive reference for `StreamingJSONEncoder`: Foundation's JSONEncoder with
/// `.convertToSnakeCase`, NaN and the infinities turned into null. Both sides are compared in
/// canonical form (parsed, then written again with sorted keys), since field order and
/// number spelling may differ while the value may not.
public enum ReferenceJSON {
    public static func canonicalEncoding<Value: Encodable>(of value: Value) throws -> String {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: nonFiniteMark, negativeInfinity: nonFiniteMark, nan: nonFiniteMark)
        let parsed = try JSONSerialization.jsonObject(with: encoder.encode(value), options: .fragmentsAllowed)
        return try serialize(replacingNonFiniteMarks(in: parsed))
    }

    /// The same JSON value always gives the same canonical text.
    public static func canonical(_ json: [UInt8]) throws -> String {
        try serialize(JSONSerialization.jsonObject(with: Data(json), options: .fragmentsAllowed))
    }

    /// A string no real value holds, standing in for a number JSON cannot spell.
    private static let nonFiniteMark = "\u{0}non-finite\u{0}"

    private static func replacingNonFiniteMarks(in object: Any) -> Any {
        switch object {
        case let string as String where string == nonFiniteMark: NSNull()
        case let array as [Any]: array.map(replacingNonFiniteMarks)
        case let dictionary as [String: Any]: dictionary.mapValues(replacingNonFiniteMarks)
        default: object
        }
    }

    private static func serialize(_ object: Any) throws -> String {
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .fragmentsAllowed])
        return String(decoding: data, as: UTF8.self)
    }
}
