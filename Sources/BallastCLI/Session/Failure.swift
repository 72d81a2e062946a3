import BallastProtocol

/// Why a command failed, and the exit status it means (`ExitStatus`, README's table).
public enum Failure: Error, CustomStringConvertible {
    /// A command the grammar refuses (exit 2).
    case usage(String)
    /// The daemon answered with an error (exit 1); a cancelled request is one too.
    case daemon(RPCError)
    /// No daemon could be reached, or it went away while a command waited (exit 3).
    case unavailable(String)
    /// No reply within `--timeout`; the request was cancelled (exit 4).
    case timedOut(String)
    /// The person stopped waiting (a second Ctrl-C); the request was cancelled (exit 130).
    case interrupted(String)

    public var exitCode: Int32 {
        switch self {
        case .usage: ExitStatus.usage
        case .daemon: ExitStatus.daemonError
        case .unavailable: ExitStatus.noDaemon
        case .timedOut: ExitStatus.timedOut
        case .interrupted: ExitStatus.interrupted
        }
    }

    /// The name `--json` gives this kind of failure in `error.code` (the daemon's own is its number).
    var kind: String {
        switch self {
        case .usage: "usage"
        case .daemon: "daemon"
        case .unavailable: "unavailable"
        case .timedOut: "timeout"
        case .interrupted: "interrupted"
        }
    }

    public var description: String {
        switch self {
        case .usage(let m), .unavailable(let m), .timedOut(let m), .interrupted(let m): m
        case .daemon(let e): e.message
        }
    }
}
