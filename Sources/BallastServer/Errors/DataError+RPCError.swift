import BallastML
import BallastProtocol

extension DataError: RPCErrorConvertible {
    /// A missing file is "not found"; a file that cannot be used is "invalid data"; a bad option
    /// is "invalid params". `data` says where: path, line, column, the column's name, and the kind.
    public var rpcError: RPCError {
        var data: [String: JSONValue] = ["kind": .string(DataErrorKindName(kind).rawValue)]
        if let path { data["path"] = .string(path) }
        if let line { data["line"] = .int(Int64(line)) }
        if let column { data["column"] = .int(Int64(column)) }
        if let field { data["field"] = .string(field) }
        let code = switch kind {
        case .fileNotFound: ErrorCode.notFound
        case .invalidOption: ErrorCode.invalidParams
        default: ErrorCode.invalidData
        }
        // The engine does not know the option's wire name; say which one helps.
        let advice = switch kind {
        case .tooManyLevels: " Raise max_levels to one-hot encode it, leave it out with ignore, or keep it beside the data with id if it names the rows."
        case .tooManyClasses: " Choose the label column with label=<name or 0-based index>, or raise max_classes."
        case .continuousLabel: " Choose the label column with label=<name or 0-based index>."
        case .invalidEncoding: " Set encoding to cp1252 or latin-1 (or auto)."
        default: ""
        }
        return RPCError(code: code, message: message + advice, data: .object(data))
    }
}
