/// A JSON-RPC request id: a number or a string, echoed unchanged in the reply.
public enum RequestID: Sendable, Hashable, CustomStringConvertible {
    case number(Int64)
    case string(String)

    public init?(_ value: JSONValue) {
        switch value {
        case .int(let i): self = .number(i)
        // An integral number written as a double (`1e3`) is accepted when it fits in an Int64;
        // `1e300` or `9223372036854775808` is no id (converting it would trap).
        case .double(let d) where d.rounded() == d && d >= -9.223372036854775e18 && d < 9.223372036854775e18:
            self = .number(Int64(d))
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
