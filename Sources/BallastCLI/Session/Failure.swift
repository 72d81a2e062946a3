import BallastProtocol

/// Why a command failed, and the exit status it means.
public enum Failure: Error, CustomStringConvertible {
    /// A command the grammar refuses (exit 2).
    case usage(String)
    /// The daemon answered with an error (exit 1); a cancelled request is one too.
    case daemon(RPCError)
    /// No daemon could be reached (exit 3).
    case unavailable(String)

    public var exitCode: Int32 {
        switch self {
        case .usage: 2
        case .daemon: 1
        case .unavailable: 3
        }
    }

    public var description: String {
        switch self {
        case .usage(let m), .unavailable(let m): m
        case .daemon(let e): e.message
        }
    }
}
