import BallastProtocol
import BallastTransport

/// A file that cannot be written is -32010 with its path: "Cannot write /m.json: No such file or directory."
extension AtomicFile.WriteError: RPCErrorConvertible {
    public var rpcError: RPCError {
        RPCError(code: ErrorCode.invalidData, message: "\(description).", data: ["path": .string(path)])
    }
}
