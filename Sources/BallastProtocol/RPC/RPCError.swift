/// A JSON-RPC error object: a code, a sentence a person understands, and the details in `data`
/// (which field, which file, which line and column).
public struct RPCError: Error, Sendable, Equatable, CustomStringConvertible {
    public var code: Int
    public var message: String
    public var data: JSONValue?

    public init(code: Int, message: String, data: JSONValue? = nil) {
        self.code = code
        self.message = message
        self.data = data
    }

    public var description: String { "\(message) (code \(code))" }

    /// The same error with more members in `data` (an object); members already there are kept.
    public func adding(_ members: [String: JSONValue]) -> RPCError {
        var copy = self
        var object: [String: JSONValue] = if case .object(let existing)? = data { existing } else { [:] }
        for (key, value) in members where object[key] == nil { object[key] = value }
        copy.data = .object(object)
        return copy
    }

    public var json: JSONValue {
        var members: [String: JSONValue] = ["code": .int(Int64(code)), "message": .string(message)]
        if let data { members["data"] = data }
        return .object(members)
    }

    public init?(json: JSONValue) {
        guard let code = json["code"]?.intValue, let message = json["message"]?.stringValue else { return nil }
        self.init(code: Int(code), message: message, data: json["data"])
    }
}

/// The error codes of the Ballast protocol: JSON-RPC's own, LSP's lifecycle codes, and the
/// domain codes documented in protocol/README.md.
public enum ErrorCode {
    public static let parseError = -32700
    public static let invalidRequest = -32600
    public static let methodNotFound = -32601
    public static let invalidParams = -32602
    public static let internalError = -32603
    public static let serverNotInitialized = -32002
    public static let requestCancelled = -32800
    /// A dataset, model or run named in the params does not exist.
    public static let notFound = -32001
    /// The data itself is unusable: a malformed file, a single class, non-finite values.
    public static let invalidData = -32010
    /// A memory budget, a size limit or the job queue is full.
    public static let resourceLimit = -32011
    /// The named thing exists but cannot be used now (a dataset in use by a running training).
    public static let conflict = -32012
    /// The daemon is shutting down and takes no new work.
    public static let shuttingDown = -32013
    /// Training diverged (the loss or the parameters stopped being finite).
    public static let trainingDiverged = -32014
}

extension RPCError {
    public static func invalidParams(_ message: String, field: String?) -> RPCError {
        RPCError(code: ErrorCode.invalidParams, message: message,
                 data: field.map { .object(["field": .string($0)]) })
    }

    public static func invalidRequest(_ message: String) -> RPCError {
        RPCError(code: ErrorCode.invalidRequest, message: message)
    }

    public static func methodNotFound(_ method: String) -> RPCError {
        RPCError(code: ErrorCode.methodNotFound, message: "There is no method named '\(method)'.",
                 data: .object(["method": .string(method)]))
    }

    public static func internalError(_ message: String) -> RPCError {
        RPCError(code: ErrorCode.internalError, message: message)
    }

    public static func notFound(_ kind: String, _ name: String, field: String, known: [String]) -> RPCError {
        let list = known.isEmpty ? "none is loaded" : "known: \(known.sorted().joined(separator: ", "))"
        return RPCError(code: ErrorCode.notFound, message: "There is no \(kind) named '\(name)' (\(list)).",
                        data: .object(["field": .string(field), "name": .string(name),
                                       "known": .array(known.sorted().map { .string($0) })]))
    }

    public static let serverNotInitialized = RPCError(
        code: ErrorCode.serverNotInitialized,
        message: "The server is not initialized yet: send 'initialize' first.")

    public static let shuttingDown = RPCError(
        code: ErrorCode.shuttingDown,
        message: "The server is shutting down and takes no new requests.")

    public static func cancelled(partial: JSONValue? = nil) -> RPCError {
        RPCError(code: ErrorCode.requestCancelled, message: "The request was cancelled.", data: partial)
    }
}
