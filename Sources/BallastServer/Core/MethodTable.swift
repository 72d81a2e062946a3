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
        /// The params that may refer to binary buffers (`{"buffer": i}`); empty: the method takes none.
        let bufferFields: [String]
        let run: @Sendable (JSONValue, RequestContext) throws -> Reply
    }

    /// What a handler answers: its result, and the buffers the reply carries after the payload
    /// (those the handler attached through `context.buffers.attach`, in that order).
    struct Reply: Sendable {
        var result: JSONValue
        var buffers: [Data] = []
    }

    private(set) var entries: [String: Entry] = [:]

    public init() {}

    /// Registers `body` as the handler of `M`.
    ///
    /// Binary buffers (protocol/README.md section 1): a method whose params may refer to buffers
    /// names the params that hold them in `buffers` (top-level fields of type `BufferReference`);
    /// any other is refused -32602 when a request carries some, and only those params are read as
    /// references (elsewhere `{"buffer": …}` is plain JSON: a column or class may be named
    /// `buffer`). Before `body` runs, the references in params are matched with the buffers sent (each
    /// buffer referenced exactly once, no reference to a missing one); `body` reads each through
    /// `context.buffers` (which checks its length), and a buffer it leaves unread is refused after
    /// it. To answer with buffers, `body` attaches them (`context.buffers.attach`) and puts the
    /// `TypedBuffer`s it gets back into its result.
    public mutating func register<M: RequestMethod>(
        _ method: M.Type, lane: Lane = .ordered, buffers bufferFields: [String] = [],
        _ body: @escaping @Sendable (M.Params, RequestContext) throws -> M.Result
    ) {
        precondition(entries[M.method] == nil, "\(M.method) registered twice")
        for field in bufferFields {
            precondition(M.Params.nestedFields[field] is BufferReference.Type, "\(M.method): '\(field)' is not a buffer reference param")
        }
        entries[M.method] = Entry(lane: lane, bufferFields: bufferFields) { params, context in
            try BufferReferences.check(params, carried: context.buffers.count, method: M.method, fields: bufferFields)
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
            let result = try JSONValue(encoding: body(typed, context))
            if let unread = context.buffers.unread.first {
                let field = (try? BufferReferences.find(in: params, fields: bufferFields))?.first(where: { $0.index == unread })?.field ?? "buffers"
                throw BufferReferences.unreferencedError(unread, field: field)
            }
            return Reply(result: result, buffers: context.buffers.outgoing)
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
