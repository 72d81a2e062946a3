import BallastProtocol

/// The params of the four `repl/*` methods, read from the editor's JSON. A missing or mistyped
/// field, or one the method does not know, is -32602 with `data.field`, as the daemon answers.
public struct ReplExecuteParams: Sendable {
    public var code: String
    /// The text width the renderings fit, 20…400.
    public var width: Int
    /// The editor's `progress_token` (a string or an integer), or nil for no progress.
    public var progressToken: JSONValue?
    /// The editor's `partial_result_token` (a string or an integer): each OUTPUT is sent under it
    /// as soon as its statement has run. nil: the outputs come only in the reply.
    public var partialResultToken: JSONValue?

    public static let widths = 20...400
    public static let defaultWidth = 100

    public init(code: String, width: Int = defaultWidth, progressToken: JSONValue? = nil, partialResultToken: JSONValue? = nil) {
        self.code = code
        self.width = width
        self.progressToken = progressToken
        self.partialResultToken = partialResultToken
    }

    public init(_ params: JSONValue?) throws(RPCError) {
        let reader = try ParamReader(params, known: ["code", "width", "progress_token", "partial_result_token"])
        code = try reader.string("code")
        width = try reader.integer("width", in: Self.widths) ?? Self.defaultWidth
        progressToken = try Self.token(reader, "progress_token")
        partialResultToken = try Self.token(reader, "partial_result_token")
    }

    /// A token the editor chose: a string or an integer (section 6), or nil when absent.
    private static func token(_ reader: ParamReader, _ field: String) throws(RPCError) -> JSONValue? {
        guard let token = reader.members[field] else { return nil }
        guard token.stringValue != nil || token.intValue != nil else {
            throw .invalidParams("\(field) must be a string or an integer, got \(token.typeName).", field: field)
        }
        return token
    }
}

/// `repl/complete` and `repl/inspect`: a text and a place in it, counted in Unicode code points.
public struct ReplCursorParams: Sendable {
    public var code: String
    /// 0…(code points in `code`).
    public var cursor: Int
    /// `repl/inspect` only: 0 or 1 (Jupyter's; both give the same text).
    public var detailLevel: Int

    public init(code: String, cursor: Int, detailLevel: Int = 0) {
        self.code = code
        self.cursor = cursor
        self.detailLevel = detailLevel
    }

    public init(_ params: JSONValue?, inspect: Bool) throws(RPCError) {
        let reader = try ParamReader(params, known: inspect ? ["code", "cursor", "detail_level", "progress_token"] : ["code", "cursor", "progress_token"])
        code = try reader.string("code")
        let length = code.unicodeScalars.count
        guard let cursor = try reader.integer("cursor", in: 0...Int.max) else {
            throw .invalidParams("cursor is required: the offset into code, in Unicode code points.", field: "cursor")
        }
        guard cursor <= length else {
            throw .invalidParams("cursor \(cursor) is past the end of code (\(length) code points).", field: "cursor")
        }
        self.cursor = cursor
        detailLevel = inspect ? try reader.integer("detail_level", in: 0...1) ?? 0 : 0
    }
}

/// `repl/is_complete`.
public struct ReplCodeParams: Sendable {
    public var code: String

    public init(_ params: JSONValue?) throws(RPCError) {
        code = try ParamReader(params, known: ["code", "progress_token"]).string("code")
    }
}

/// Reads named members of a params object, refusing unknown ones.
struct ParamReader {
    let members: [String: JSONValue]

    init(_ params: JSONValue?, known: [String]) throws(RPCError) {
        switch params {
        case nil, .null?: members = [:]
        case .object(let object)?: members = object
        // As the daemon answers a request whose params are not an object (Message.classify).
        case .array?:
            throw RPCError(code: ErrorCode.invalidRequest, message: "Params must be an object with named fields, not an array.",
                           data: ["field": "params"])
        case let other?:
            throw RPCError(code: ErrorCode.invalidRequest, message: "Params must be an object, not \(other.typeName).",
                           data: ["field": "params"])
        }
        for key in members.keys.sorted() where !known.contains(key) {
            var message = "Unknown field '\(key)'."
            if let close = Suggestion.closest(to: key, among: known) { message += " Did you mean '\(close)'?" }
            throw .invalidParams(message + " Known: \(known.joined(separator: ", ")).", field: key)
        }
    }

    func string(_ key: String) throws(RPCError) -> String {
        guard let value = members[key] else { throw .invalidParams("\(key) is required.", field: key) }
        guard let text = value.stringValue else { throw .invalidParams("\(key) must be a string, got \(value.typeName).", field: key) }
        return text
    }

    func integer(_ key: String, in range: ClosedRange<Int>) throws(RPCError) -> Int? {
        guard let value = members[key], value != .null else { return nil }
        guard let number = value.intValue else {
            throw .invalidParams("\(key) must be an integer, got \(value.typeName).", field: key)
        }
        guard number >= Int64(range.lowerBound), number <= Int64(range.upperBound) else {
            let bound = range.upperBound == Int.max ? "at least \(range.lowerBound)" : "from \(range.lowerBound) to \(range.upperBound)"
            throw .invalidParams("\(key) must be \(bound), got \(number).", field: key)
        }
        return Int(number)
    }
}
