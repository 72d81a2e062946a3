import BallastProtocol

/// Errors from the layers below that know how to become a JSON-RPC error. The conformances sit
/// in this folder, one file per error type, so how each lower layer's failure reaches a client is
/// decided in one place.
public protocol RPCErrorConvertible: Error {
    var rpcError: RPCError { get }
}
