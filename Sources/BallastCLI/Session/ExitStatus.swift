import BallastClient

/// `ballast`'s exit statuses: the one table, as README's lists them. Scripts, `-c`, the REPL,
/// `call`, `status`, `stop` and the editor bridge all exit through it; Python's
/// `python -m ballast_client` spells the same numbers `EXIT_SUCCESS` … `EXIT_INTERRUPTED`.
public enum ExitStatus {
    public static let success: Int32 = 0
    /// The daemon answered with an error.
    public static let daemonError: Int32 = 1
    /// Bad usage: unknown flag, missing argument, a command the grammar refuses.
    public static let usage: Int32 = 2
    /// No daemon could be reached or started, or it stopped while a command waited.
    public static let noDaemon: Int32 = 3
    /// No reply within `--timeout` (the request was cancelled), or `stop` outwaited.
    public static let timedOut: Int32 = 4
    /// Ctrl-C.
    public static let interrupted: Int32 = 130

    /// Every status with its README name, in the table's order.
    public static let table: [(name: String, status: Int32)] = [
        ("success", success), ("daemonError", daemonError), ("usage", usage),
        ("noDaemon", noDaemon), ("timedOut", timedOut), ("interrupted", interrupted),
    ]

    /// The status a client call that failed with `error` exits with.
    public static func of(_ error: ClientError) -> Int32 {
        switch error {
        case .rpc: daemonError
        case .timeout: timedOut
        case .stopped: interrupted
        case .badArgument: usage
        case .unavailable, .daemonGone, .protocolViolation, .transport: noDaemon
        }
    }
}
