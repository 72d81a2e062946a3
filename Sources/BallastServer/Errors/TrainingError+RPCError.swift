import BallastML
import BallastProtocol

extension TrainingError: RPCErrorConvertible {
    /// A request the engine cannot carry out is invalid params; divergence is its own domain error.
    func rpcError(at paths: WirePaths) -> RPCError {
        let path = field.flatMap(paths.path)
        switch kind {
        case .invalidArgument:
            return .invalidParams(message, field: path)
        case .diverged:
            return RPCError(code: ErrorCode.trainingDiverged, message: message, data: path.map { ["field": .string($0)] })
        }
    }

    /// Outside `WirePaths.translating`, the standard place of the field.
    public var rpcError: RPCError { rpcError(at: .standard) }
}
