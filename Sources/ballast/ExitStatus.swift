import ArgumentParser
import BallastClient
import Foundation

/// `ballast`'s exit statuses, as README's table lists them.
enum ExitStatus {
    static let success: Int32 = 0
    /// The daemon answered with an error.
    static let daemonError: Int32 = 1
    /// Bad usage: unknown flag, missing argument, a command the grammar refuses.
    static let usage: Int32 = 2
    /// No daemon could be reached or started, or it stopped while a command waited.
    static let noDaemon: Int32 = 3
    /// No reply within `--timeout` (the request was cancelled), or `stop` outwaited.
    static let timedOut: Int32 = 4
    /// Ctrl-C.
    static let interrupted: Int32 = 130

    static func of(_ error: ClientError) -> Int32 {
        switch error {
        case .rpc: daemonError
        case .timeout: timedOut
        case .stopped: interrupted
        case .unavailable, .daemonGone, .protocolViolation, .transport: noDaemon
        }
    }

    /// Parses the command line and runs the command, as `ParsableCommand.main()` does, except
    /// that a usage error exits with 2, not ArgumentParser's 64 (EX_USAGE).
    static func runMain<Command: ParsableCommand>(_ root: Command.Type) -> Never {
        do {
            var command = try root.parseAsRoot()
            try command.run()
            exit(success)
        } catch {
            if root.exitCode(for: error) == .validationFailure {
                FileHandle.standardError.write(Data((root.fullMessage(for: error) + "\n").utf8))
                exit(usage)
            }
            root.exit(withError: error)
        }
    }
}
