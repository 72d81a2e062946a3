/// A request the daemon answers: its wire name, what it takes and what it returns.
///
/// Adding a method touches its group's file under `Methods/`, the server's handler for it, and
/// `protocol/` (README section, schemas, a golden example, CHANGELOG): protocol/README.md section 10.
public protocol RequestMethod: Sendable {
    static var method: String { get }
    associatedtype Params: Codable & Sendable & KnownFields
    associatedtype Result: Codable & Sendable
}

/// A notification: no reply, only params.
public protocol NotificationMethod: Sendable {
    static var method: String { get }
    associatedtype Params: Codable & Sendable & KnownFields
}

/// The field names an object in params may carry, so that a misspelt field is reported instead
/// of silently ignored; `nestedFields` names the members that are objects with fields of their own.
public protocol KnownFields {
    static var fieldNames: [String] { get }
    static var nestedFields: [String: any KnownFields.Type] { get }
}

/// The params field that asks for `$/progress` notifications, accepted by every request.
public let progressTokenField = "progress_token"

extension KnownFields {
    public static var nestedFields: [String: any KnownFields.Type] { [:] }

    /// Refuses fields this object does not know, at any depth, with a suggestion when the unknown
    /// name is close to a known one. `path` is the dotted path of this object in params.
    public static func checkFields(_ value: JSONValue, path: String = "") throws(RPCError) {
        guard let members = value.objectValue else { return }
        for key in members.keys.sorted() {
            let field = path.isEmpty ? key : "\(path).\(key)"
            // Any request may carry a progress token; methods that report progress use it.
            if path.isEmpty && key == progressTokenField { continue }
            guard fieldNames.contains(key) else {
                let known = fieldNames.isEmpty ? (path.isEmpty ? "it takes no params" : "it takes no fields") : "known fields: \(fieldNames.joined(separator: ", "))"
                let hint = Suggestion.closest(to: key, among: fieldNames).map { " Did you mean '\($0)'?" } ?? ""
                let scope = path.isEmpty ? "" : " in '\(path)'"
                throw RPCError.invalidParams("Unknown field '\(key)'\(scope) (\(known)).\(hint)", field: field)
            }
            if let nested = nestedFields[key], let child = members[key] {
                try nested.checkFields(child, path: field)
            }
        }
    }
}

/// Params for methods that take none.
public struct NoParams: Codable, Sendable, Equatable, KnownFields {
    public static let fieldNames: [String] = []
    public init() {}
}

/// The `null` result of methods that only acknowledge (LSP's `shutdown`).
public struct NullResult: Codable, Sendable, Equatable {
    public init() {}
    public init(from decoder: any Decoder) throws {}
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encodeNil()
    }
}

extension KnownFields where Self: Decodable {
    /// Decodes params, first refusing fields the method does not know (see `checkFields`).
    public static func decodeChecked(from params: JSONValue) throws(RPCError) -> Self {
        try checkFields(params)
        return try params.decode(as: Self.self)
    }
}
