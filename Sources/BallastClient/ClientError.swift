import BallastProtocol
import BallastTransport
import Foundation

/// Why a client call did not produce a result.
public enum ClientError: Error, CustomStringConvertible {
    /// The daemon answered with a JSON-RPC error.
    case rpc(RPCError)
    /// No reply within the time allowed.
    case timeout(method: String, seconds: Double)
    /// No daemon could be found or started.
    case unavailable(String)
    /// A reply that is not what the protocol promises.
    case protocolViolation(String)
    /// A socket call failed (the daemon's address is unusable, or the client was closed).
    case transport(TransportError)

    public var description: String {
        switch self {
        case .rpc(let error):
            var text = "\(error.message) (code \(error.code))"
            if let data = error.data { text += "\n  data: \(JSONWriter.string(data))" }
            return text
        case let .timeout(method, seconds): return "No reply to '\(method)' within \(seconds) s."
        case .unavailable(let why): return why
        case .protocolViolation(let why): return "The daemon broke the protocol: \(why)"
        case .transport(let error): return "ZeroMQ: \(error)"
        }
    }
}
