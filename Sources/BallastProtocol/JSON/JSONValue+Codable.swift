import Foundation

extension JSONValue: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let b = try? container.decode(Bool.self) { self = .bool(b) }
        else if let i = try? container.decode(Int64.self) { self = .int(i) }
        else if let d = try? container.decode(Double.self) { self = .double(d) }
        else if let s = try? container.decode(String.self) { self = .string(s) }
        else if let a = try? container.decode([JSONValue].self) { self = .array(a) }
        else { self = .object(try container.decode([String: JSONValue].self)) }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let b): try container.encode(b)
        case .int(let i): try container.encode(i)
        case .double(let d): try container.encode(d)
        case .string(let s): try container.encode(s)
        case .array(let a): try container.encode(a)
        case .object(let o): try container.encode(o)
        }
    }
}

extension JSONValue {
    /// The JSON form of any `Encodable` (a method's `Result`, for instance).
    public init(encoding value: some Encodable) throws {
        self = try JSONValueEncoder().encode(value)
    }

    /// Decodes this value as `T`, turning Foundation's decoding errors into an `RPCError` of
    /// kind invalid params whose message names the field and whose `data.field` is its path.
    public func decode<T: Decodable>(as type: T.Type) throws(RPCError) -> T {
        do {
            return try JSONValueDecoder().decode(T.self, from: self)
        } catch let error as DecodingError {
            throw RPCError.invalidParams(from: error)
        } catch let error as RPCError {
            throw error  // a value that checks itself while decoding (a `WireName`)
        } catch {
            throw RPCError.invalidParams("The params could not be read: \(error).", field: nil)
        }
    }
}

extension RPCError {
    /// A sentence for each way Codable can fail, with the dotted path of the field.
    static func invalidParams(from error: DecodingError) -> RPCError {
        func path(_ codingPath: [any CodingKey], _ last: (any CodingKey)? = nil) -> String {
            CodingPath.dotted(codingPath + (last.map { [$0] } ?? []))
        }
        switch error {
        case .keyNotFound(let key, let context):
            let field = path(context.codingPath, key)
            return .invalidParams("The field '\(field)' is required.", field: field)
        case .typeMismatch(let type, let context), .valueNotFound(let type, let context):
            let field = path(context.codingPath)
            return .invalidParams("The field '\(field)' must be \(describe(type)).", field: field)
        case .dataCorrupted(let context):
            let field = path(context.codingPath)
            return .invalidParams("The field '\(field)' is not valid: \(context.debugDescription)", field: field)
        @unknown default:
            return .invalidParams("The params could not be read.", field: nil)
        }
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Bool.Type: "a boolean"
        case is Int.Type, is Int64.Type, is Int32.Type, is UInt64.Type: "an integer"
        case is Double.Type, is Float.Type: "a number"
        case is [Any].Type: "an array"
        default: type is any Collection.Type ? "an array" : "an object (\(type))"
        }
    }
}

/// The wire spelling of a field's place in params: `optimizer.lr`, `rows[3]`.
public enum CodingPath {
    public static func dotted(_ keys: [any CodingKey]) -> String {
        keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }
            .joined(separator: ".").replacingOccurrences(of: ".[", with: "[")
    }
}
