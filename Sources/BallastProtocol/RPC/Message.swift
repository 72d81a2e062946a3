/// One JSON-RPC 2.0 message, as classified from a wire payload.
public enum Message: Sendable, Equatable {
    case request(id: RequestID, method: String, params: JSONValue)
    case notification(method: String, params: JSONValue)
    case response(id: RequestID, outcome: Outcome)

    public enum Outcome: Sendable, Equatable {
        case result(JSONValue)
        case error(RPCError)
    }

    /// Parses and validates a payload. Errors are ready to send back: -32700 for bytes that are
    /// not JSON (with the line and column), -32600 for JSON that is not one JSON-RPC 2.0 object.
    /// The second element of the failure is the request id when one could be read.
    public static func parse(_ payload: [UInt8]) -> Result<Message, ParseFailure> {
        let value: JSONValue
        do {
            value = try JSONParser.parse(payload)
        } catch {
            return .failure(ParseFailure(id: nil, error: RPCError(
                code: ErrorCode.parseError, message: "The message is not valid JSON: \(error.reason).",
                data: .object(["line": .int(Int64(error.line)), "column": .int(Int64(error.column))]))))
        }
        return classify(value)
    }

    public struct ParseFailure: Error, Sendable, Equatable {
        public var id: RequestID?
        public var error: RPCError
    }

    public static func classify(_ value: JSONValue) -> Result<Message, ParseFailure> {
        if case .array = value {
            return .failure(ParseFailure(id: nil, error: .invalidRequest(
                "Batch requests are not supported: send one JSON-RPC object per message.")))
        }
        guard case .object(let members) = value else {
            return .failure(ParseFailure(id: nil, error: .invalidRequest(
                "A message must be a JSON-RPC 2.0 object, not \(value.typeName).")))
        }
        let rawID = members["id"]
        let id = rawID.flatMap(RequestID.init)
        func fail(_ message: String, field: String) -> Result<Message, ParseFailure> {
            .failure(ParseFailure(id: id, error: RPCError(code: ErrorCode.invalidRequest, message: message,
                                                          data: .object(["field": .string(field)]))))
        }
        guard members["jsonrpc"] == .string("2.0") else {
            return fail("The message must have \"jsonrpc\": \"2.0\".", field: "jsonrpc")
        }
        if let rawID, id == nil {
            return fail("The id must be a string or an integer, not \(rawID.typeName).", field: "id")
        }
        if let methodValue = members["method"] {
            guard let method = methodValue.stringValue, !method.isEmpty else {
                return fail("The method must be a non-empty string.", field: "method")
            }
            let params = members["params"] ?? .object([:])
            switch params {
            case .object: break
            case .array: return fail("Params must be an object with named fields, not an array.", field: "params")
            default: return fail("Params must be an object, not \(params.typeName).", field: "params")
            }
            if let id { return .success(.request(id: id, method: method, params: params)) }
            return .success(.notification(method: method, params: params))
        }
        guard let id else { return fail("A message needs a method, or an id with a result or error.", field: "method") }
        if let result = members["result"] { return .success(.response(id: id, outcome: .result(result))) }
        if let errorValue = members["error"], let error = RPCError(json: errorValue) {
            return .success(.response(id: id, outcome: .error(error)))
        }
        return fail("A response needs a result or an error object.", field: "result")
    }

    /// The wire form of this message.
    public var json: JSONValue {
        switch self {
        case let .request(id, method, params):
            return ["jsonrpc": "2.0", "id": id.json, "method": .string(method), "params": params]
        case let .notification(method, params):
            return ["jsonrpc": "2.0", "method": .string(method), "params": params]
        case let .response(id, .result(result)):
            return ["jsonrpc": "2.0", "id": id.json, "result": result]
        case let .response(id, .error(error)):
            return ["jsonrpc": "2.0", "id": id.json, "error": error.json]
        }
    }

    /// An error reply to a request whose id could not be read is sent with a null id.
    public static func errorReply(id: RequestID?, _ error: RPCError) -> JSONValue {
        ["jsonrpc": "2.0", "id": id?.json ?? .null, "error": error.json]
    }
}
