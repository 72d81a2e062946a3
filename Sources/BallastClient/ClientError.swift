import BallastProtocol
import BallastTransport
import Foundation

/// Why a client call did not produce a result.
public enum ClientError: Error, CustomStringConvertible {
    /// The daemon answered with a JSON-RPC error.
    case rpc(RPCError)
    /// No reply within the time allowed; `cancelled` when the client cancelled the request.
    case timeout(method: String, seconds: Double, cancelled: Bool)
    /// The caller stopped waiting (`shouldStop`), after cancelling the request.
    case stopped(method: String)
    /// The daemon exited, was replaced, or stopped answering while the client waited.
    case daemonGone(DaemonGone)
    /// No daemon could be found or started.
    case unavailable(String)
    /// A reply that is not what the protocol promises.
    case protocolViolation(String)
    /// A socket call failed (the daemon's address is unusable, or the client was closed).
    case transport(TransportError)
    /// The caller asked for something no request can do, such as a NaN timeout; nothing was sent.
    case badArgument(String)

    public var description: String {
        switch self {
        case .rpc(let error):
            var text = "\(error.message) (code \(error.code))"
            if let data = error.data { text += "\n  data: \(JSONWriter.string(data))" }
            return text
        case let .timeout(method, seconds, cancelled):
            let text = "No reply to '\(method)' within \(seconds == seconds.rounded() ? String(Int(seconds)) : String(seconds)) s"
            return cancelled ? text + "; the request was cancelled." : text + "."
        case .stopped(let method): return "Stopped waiting for '\(method)'; the daemon was asked to cancel it."
        case .daemonGone(let gone): return gone.description + " " + gone.advice
        case .unavailable(let why), .badArgument(let why): return why
        case .protocolViolation(let why): return "The daemon broke the protocol: \(why)"
        case .transport(let error): return "ZeroMQ: \(error)"
        }
    }
}
