/// Encodes any `Encodable` straight into a `JSONValue`, without going through JSON text.
///
/// Results are built as values, sorted and written once by `JSONWriter`; Foundation's
/// `JSONEncoder` followed by a parse of its output cost a ping's reply most of its time.
/// Non-finite doubles are refused, as `JSONEncoder` with `.throw` refuses them.
public struct JSONValueEncoder {
    public init() {}

    public func encode(_ value: some Encodable) throws -> JSONValue {
        let root = Node()
        try value.encode(to: Writer(node: root, codingPath: []))
        return root.value
    }
}

/// A value under construction: a scalar, or an object or array whose members are nodes.
/// Members are kept in place (the node is the only owner), so building is linear in the size.
private final class Node {
    var scalar: JSONValue = .null
    var object: [String: Node]?
    var array: [Node]?

    var value: JSONValue {
        if let object { return .object(object.mapValues(\.value)) }
        if let array { return .array(array.map(\.value)) }
        return scalar
    }

    func set(_ value: JSONValue) {
        scalar = value
        object = nil
        array = nil
    }

    func makeObject() {
        if object == nil { object = [:] }
        array = nil
    }

    func member(_ key: String) -> Node {
        makeObject()
        if let node = object![key] { return node }
        let node = Node()
        object![key] = node
        return node
    }

    func makeArray() {
        if array == nil { array = [] }
        object = nil
    }

    func append() -> Node {
        makeArray()
        let node = Node()
        array!.append(node)
        return node
    }

    var count: Int { array?.count ?? 0 }
}

private struct Writer: Encoder {
    let node: Node
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        node.makeObject()
        return KeyedEncodingContainer(Keyed<Key>(node: node, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        node.makeArray()
        return Unkeyed(node: node, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        Single(node: node, codingPath: codingPath)
    }
}

private func scalar(_ value: some Encodable, at path: [any CodingKey]) throws -> JSONValue? {
    switch value {
    case let v as Double: return try finite(v, at: path)
    case let v as String: return .string(v)
    case let v as Int: return .int(Int64(v))
    case let v as Bool: return .bool(v)
    case let v as Int64: return .int(v)
    case let v as Int32: return .int(Int64(v))
    case let v as UInt64: return v <= UInt64(Int64.max) ? .int(Int64(v)) : .double(Double(v))
    case let v as UInt32: return .int(Int64(v))
    case let v as Float: return try finite(Double(v), at: path)
    case let v as JSONValue: return v
    default: return nil
    }
}

private func finite(_ value: Double, at path: [any CodingKey]) throws -> JSONValue {
    guard value.isFinite else {
        throw EncodingError.invalidValue(value, .init(codingPath: path, debugDescription: "\(value) has no JSON form."))
    }
    return .double(value)
}

private func encode(_ value: some Encodable, into node: Node, at path: [any CodingKey]) throws {
    if let simple = try scalar(value, at: path) {
        node.set(simple)
    } else {
        try value.encode(to: Writer(node: node, codingPath: path))
    }
}

private struct Keyed<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let node: Node
    let codingPath: [any CodingKey]

    mutating func encodeNil(forKey key: Key) throws { node.member(key.stringValue).set(.null) }
    mutating func encode(_ value: some Encodable, forKey key: Key) throws {
        try BallastProtocol.encode(value, into: node.member(key.stringValue), at: codingPath + [key])
    }
    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        let child = node.member(key.stringValue)
        child.makeObject()
        return KeyedEncodingContainer(Keyed<NestedKey>(node: child, codingPath: codingPath + [key]))
    }
    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let child = node.member(key.stringValue)
        child.makeArray()
        return Unkeyed(node: child, codingPath: codingPath + [key])
    }
    mutating func superEncoder() -> any Encoder { Writer(node: node.member("super"), codingPath: codingPath) }
    mutating func superEncoder(forKey key: Key) -> any Encoder { Writer(node: node.member(key.stringValue), codingPath: codingPath + [key]) }
}

private struct IndexKey: CodingKey {
    var stringValue: String { String(intValue!) }
    var intValue: Int?
    init(_ index: Int) { intValue = index }
    init?(stringValue: String) { nil }
    init?(intValue: Int) { self.intValue = intValue }
}

private struct Unkeyed: UnkeyedEncodingContainer {
    let node: Node
    let codingPath: [any CodingKey]
    var count: Int { node.count }

    mutating func encodeNil() throws { node.append().set(.null) }
    mutating func encode(_ value: some Encodable) throws {
        let path = codingPath + [IndexKey(count)]
        try BallastProtocol.encode(value, into: node.append(), at: path)
    }
    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        let path = codingPath + [IndexKey(count)]
        let child = node.append()
        child.makeObject()
        return KeyedEncodingContainer(Keyed<NestedKey>(node: child, codingPath: path))
    }
    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let path = codingPath + [IndexKey(count)]
        let child = node.append()
        child.makeArray()
        return Unkeyed(node: child, codingPath: path)
    }
    mutating func superEncoder() -> any Encoder { Writer(node: node.append(), codingPath: codingPath) }
}

private struct Single: SingleValueEncodingContainer {
    let node: Node
    let codingPath: [any CodingKey]

    mutating func encodeNil() throws { node.set(.null) }
    mutating func encode(_ value: some Encodable) throws { try BallastProtocol.encode(value, into: node, at: codingPath) }
}
