import BallastClient
import BallastProtocol

/// How a statement that failed becomes an OUTPUT's `error`: the daemon's own code, message and
/// `data`, or the code the bridge gives a failure of its own, with `line` (and for a lexer error
/// `column`) saying where in the editor's code.
enum ReplErrors {
    /// `departed`: the daemon the session saw go, whose `pid`, `connection_file` and `daemon`
    /// (exited, replaced, unresponsive) an unavailable failure carries, as the bridge's own
    /// -32013 for a relayed request does.
    static func json(_ failure: Failure, line: Int, departed: DaemonGone? = nil) -> JSONValue {
        let lineMember: [String: JSONValue] = ["line": .int(Int64(line))]
        switch failure {
        case .daemon(let rpc):
            var data = rpc.data?.objectValue ?? [:]
            if let other = rpc.data, other.objectValue == nil, other != .null { data["value"] = other }
            data["line"] = .int(Int64(line))
            return error(rpc.code, rpc.message, data)
        case .usage(let message):
            return error(ErrorCode.invalidParams, message, lineMember.merging(["kind": "usage"]) { $1 })
        case .unavailable(let message):
            let gone = departed?.json.objectValue ?? [:]
            return error(ErrorCode.shuttingDown, message, gone.merging(lineMember.merging(["kind": "unavailable"]) { $1 }) { $1 })
        case .timedOut(let message):
            return error(ErrorCode.requestCancelled, message, lineMember.merging(["kind": "timeout"]) { $1 })
        case .interrupted(let message):
            return error(ErrorCode.requestCancelled, message, lineMember.merging(["kind": "interrupted"]) { $1 })
        }
    }

    /// Text the lexer cannot split (an unclosed quote or bracket): -32700 at its line and column.
    static func json(_ lexError: LexError) -> JSONValue {
        error(ErrorCode.parseError, lexError.message,
              ["line": .int(Int64(lexError.line)), "column": .int(Int64(lexError.column))])
    }

    private static func error(_ code: Int, _ message: String, _ data: [String: JSONValue]) -> JSONValue {
        ["code": .int(Int64(code)), "message": .string(message), "data": .object(data)]
    }
}
