import BallastProtocol
import Foundation

/// Maps method names to typed handlers. Each entry decodes its params (refusing unknown fields),
/// runs the handler, and encodes the result; the dispatcher owns everything around that.
public struct MethodTable: Sendable {
    /// Where a method runs: `immediate` methods are bookkeeping answered on the socket thread as
    /// they arrive (`ping`: a liveness check must not wait behind work); `ordered` methods run one
    /// at a time in arrival order; `jobs` are long computations that run on the job workers,
    /// several at once.
    public enum Lane: Sendable { case immediate, ordered, jobs }

    struct Entry: Sendable {
        let lane: Lane
        let run: @Sendable (JSONValue, RequestContext) throws -> JSONValue
    }

    private(set) var entries: [String: Entry] = [:]

    public init() {}

    public mutating func register<M: RequestMethod>(
        _ method: M.Type, lane: Lane = .ordered,
        _ body: @escaping @Sendable (M.Params, RequestContext) throws -> M.Result
    ) {
        precondition(entries[M.method] == nil, "\(M.method) registered twice")
        entries[M.method] = Entry(lane: lane) { params, context in
            // Methods without params (ping, status, …) skip the decoder once the fields are checked.
            let typed: M.Params
            if let none = NoParams() as? M.Params {
                try M.Params.checkFields(params)
                typed = none
            } else {
                typed = try M.Params.decodeChecked(from: params)
            }
            var context = context
            context.params = params
            return try JSONValue(encoding: body(typed, context))
        }
    }

    public var methodNames: [String] { entries.keys.sorted() }

    func entry(_ method: String) -> Entry? { entries[method] }

    /// Turns anything a handler threw into the error object the client receives.
    static func rpcError(from error: any Error) -> RPCError {
        switch error {
        case let error as RPCError: error
        case let error as any RPCErrorConvertible: error.rpcError
        case let error as EncodingError:
            .internalError("The result could not be encoded as JSON: \(error).")
        default:
            .internalError("An internal error occurred: \(error).")
        }
    }
}
