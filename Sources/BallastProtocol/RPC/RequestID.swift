/// A JSON-RPC request id: a number or a string, echoed unchanged in the reply.
public enum RequestID: Sendable, Hashable, CustomStringConvertible {
    case number(Int64)
    case string(String)

    public init?(_ value: JSONValue) {
        switch value {
        case .int(let i): self = .number(i)
        case .double(let d) where d.rounded() == d: self = .number(Int64(d))
        case .string(let s): self = .string(s)
        default: return nil
        }
    }

    public var json: JSONValue {
        switch self {
        case .number(let n): .int(n)
        case .string(let s): .string(s)
        }
    }

    public var description: String {
        switch self {
        case .number(let n): String(n)
        case .string(let s): "\"\(s)\""
        }
    }
}
