import ArgumentParser
import BallastCLI
import Foundation

extension ExitStatus {
    /// Parses the command line and runs the command, as `ParsableCommand.main()` does, except
    /// that a usage error exits with `usage` (2), not ArgumentParser's 64 (EX_USAGE).
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
