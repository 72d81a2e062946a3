import BallastML
import BallastProtocol

extension InvalidArgument: RPCErrorConvertible {
    /// Invalid params, pointing at the field in the request's params.
    func rpcError(at paths: WirePaths) -> RPCError {
        .invalidParams(message, field: paths.path(field))
    }

    /// Outside `WirePaths.translating`, the standard place of the field.
    public var rpcError: RPCError { rpcError(at: .standard) }
}
