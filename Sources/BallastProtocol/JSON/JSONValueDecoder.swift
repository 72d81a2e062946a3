/// Decodes `Decodable` types straight from a `JSONValue`, the mirror of `JSONValueEncoder`.
///
/// Params arrive already parsed; decoding them here saves writing them out and parsing them again,
/// and, above all, says what is wrong and where. A whole-number field given `1e300`, `1.5` or
/// `9223372036854775808` is refused as "The field 'rows' must be a whole number from … to …",
/// with `data.field` naming it (Foundation's decoder called all three "not valid JSON", with no field).
///
/// Keys are matched as written (no case conversion), `null` and a missing key both decode an
/// optional as nil, and a number written `3.0` decodes a whole-number field as 3.
struct JSONValueDecoder {
    func decode<T: Decodable>(_ type: T.Type, from value: JSONValue) throws -> T {
        try ValueDecoder(value: value, codingPath: []).decodeValue(T.self)
    }
}

/// A key made at run time: an object's member or an array's index.
private struct DynamicKey: CodingKey {
    var stringValue: String
    var intValue: Int?
    init(stringValue: String) { self.stringValue = stringValue }
    init(intValue: Int) {
        self.stringValue = "\(intValue)"
        self.intValue = intValue
    }
}

private struct ValueDecoder: Decoder {
    let value: JSONValue
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .object(let members) = value else { throw mismatch([String: JSONValue].self) }
        return KeyedDecodingContainer(ObjectContainer<Key>(members: members, codingPath: codingPath))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .array(let elements) = value else { throw mismatch([JSONValue].self) }
        return ArrayContainer(elements: elements, codingPath: codingPath)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { self }

    func mismatch(_ expected: Any.Type) -> DecodingError {
        DecodingError.typeMismatch(expected, .init(codingPath: codingPath, debugDescription: "found \(value.kindName)"))
    }

    /// A nested value: `JSONValue` itself is handed over as it is, anything else decodes itself.
    func decodeValue<T: Decodable>(_ type: T.Type) throws -> T {
        if T.self == JSONValue.self, let same = value as? T { return same }
        return try T(from: self)
    }

    func wholeNumber<T: FixedWidthInteger>(_ type: T.Type) throws -> T {
        switch value {
        case .int(let number):
            if let exact = T(exactly: number) { return exact }
        case .double(let number):
            if let exact = T(exactly: number) { return exact }
        default:
            throw mismatch(T.self)
        }
        let field = CodingPath.dotted(codingPath)
        throw RPCError.invalidParams(
            "The field '\(field)' must be a whole number from \(T.min) to \(T.max), got \(value.compactText).", field: field)
    }
}

extension ValueDecoder: SingleValueDecodingContainer {
    func decodeNil() -> Bool { value == .null }

    func decode(_ type: Bool.Type) throws -> Bool {
        guard case .bool(let flag) = value else { throw mismatch(Bool.self) }
        return flag
    }

    func decode(_ type: String.Type) throws -> String {
        guard case .string(let text) = value else { throw mismatch(String.self) }
        return text
    }

    func decode(_ type: Double.Type) throws -> Double {
        switch value {
        case .double(let number): return number
        case .int(let number): return Double(number)
        default: throw mismatch(Double.self)
        }
    }

    func decode(_ type: Float.Type) throws -> Float { Float(try decode(Double.self)) }
    func decode(_ type: Int.Type) throws -> Int { try wholeNumber(Int.self) }
    func decode(_ type: Int8.Type) throws -> Int8 { try wholeNumber(Int8.self) }
    func decode(_ type: Int16.Type) throws -> Int16 { try wholeNumber(Int16.self) }
    func decode(_ type: Int32.Type) throws -> Int32 { try wholeNumber(Int32.self) }
    func decode(_ type: Int64.Type) throws -> Int64 { try wholeNumber(Int64.self) }
    func decode(_ type: UInt.Type) throws -> UInt { try wholeNumber(UInt.self) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try wholeNumber(UInt8.self) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try wholeNumber(UInt16.self) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try wholeNumber(UInt32.self) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try wholeNumber(UInt64.self) }
    func decode<T: Decodable>(_ type: T.Type) throws -> T { try decodeValue(T.self) }
}

private struct ObjectContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let members: [String: JSONValue]
    let codingPath: [any CodingKey]

    var allKeys: [Key] { members.keys.compactMap(Key.init(stringValue:)) }

    func contains(_ key: Key) -> Bool { members[key.stringValue] != nil }

    func decodeNil(forKey key: Key) throws -> Bool {
        guard let member = members[key.stringValue] else { throw missing(key) }
        return member == .null
    }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        try decoder(for: key).decodeValue(T.self)
    }

    /// Optionals: a missing key and `null` both give nil; anything else must decode.
    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        guard let member = members[key.stringValue], member != .null else { return nil }
        return try ValueDecoder(value: member, codingPath: codingPath + [key]).decodeValue(T.self)
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        try decoder(for: key).container(keyedBy: NestedKey.self)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try decoder(for: key).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder {
        ValueDecoder(value: members["super"] ?? .null, codingPath: codingPath + [DynamicKey(stringValue: "super")])
    }

    func superDecoder(forKey key: Key) throws -> any Decoder {
        ValueDecoder(value: members[key.stringValue] ?? .null, codingPath: codingPath + [key])
    }

    private func decoder(for key: Key) throws -> ValueDecoder {
        guard let member = members[key.stringValue] else { throw missing(key) }
        return ValueDecoder(value: member, codingPath: codingPath + [key])
    }

    private func missing(_ key: Key) -> DecodingError {
        .keyNotFound(key, .init(codingPath: codingPath, debugDescription: "no member '\(key.stringValue)'"))
    }
}

private struct ArrayContainer: UnkeyedDecodingContainer {
    let elements: [JSONValue]
    let codingPath: [any CodingKey]
    private(set) var currentIndex = 0

    init(elements: [JSONValue], codingPath: [any CodingKey]) {
        self.elements = elements
        self.codingPath = codingPath
    }

    var count: Int? { elements.count }
    var isAtEnd: Bool { currentIndex >= elements.count }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd else { throw pastTheEnd(JSONValue.self) }
        guard elements[currentIndex] == .null else { return false }
        currentIndex += 1
        return true
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        let value = try next(T.self).decodeValue(T.self)
        currentIndex += 1
        return value
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        let container = try next([String: JSONValue].self).container(keyedBy: NestedKey.self)
        currentIndex += 1
        return container
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        let container = try next([JSONValue].self).unkeyedContainer()
        currentIndex += 1
        return container
    }

    mutating func superDecoder() throws -> any Decoder {
        let decoder = try next(JSONValue.self)
        currentIndex += 1
        return decoder
    }

    private func next(_ expected: Any.Type) throws -> ValueDecoder {
        guard !isAtEnd else { throw pastTheEnd(expected) }
        return ValueDecoder(value: elements[currentIndex], codingPath: codingPath + [DynamicKey(intValue: currentIndex)])
    }

    private func pastTheEnd(_ expected: Any.Type) -> DecodingError {
        .valueNotFound(expected, .init(codingPath: codingPath + [DynamicKey(intValue: currentIndex)],
                                       debugDescription: "the array has only \(elements.count) elements"))
    }
}

extension JSONValue {
    /// What kind of JSON value this is, for messages: "a string", "null".
    var kindName: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .int, .double: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }

    /// The value as JSON text, cut short for a message.
    var compactText: String {
        let text = String(decoding: JSONWriter.data(self), as: UTF8.self)
        return text.count <= 40 ? text : String(text.prefix(39)) + "…"
    }
}
