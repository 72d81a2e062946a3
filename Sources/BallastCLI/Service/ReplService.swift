import BallastProtocol
import Foundation

/// The command language as a service (`repl/*`, protocol/README.md section 11): what the REPL
/// does, answered as JSON for the editors and notebooks that talk to `ballast --stdio`. Two
/// sessions of its own, each for one thread: `commands` runs `repl/execute` one code at a time;
/// `lookups` answers `repl/complete`, `repl/inspect` and `repl/is_complete` at once, even while
/// a command waits on the daemon.
public final class ReplService: Sendable {
    public static let execute = "repl/execute"
    public static let complete = "repl/complete"
    public static let inspect = "repl/inspect"
    public static let isComplete = "repl/is_complete"
    /// The methods the bridge answers itself rather than relaying to the daemon.
    public static let methods: Set<String> = [execute, complete, inspect, isComplete]

    public let commands: ReplCommands
    public let lookups: ReplLookups

    public init(options: SessionOptions, workingDirectory: String = FileManager.default.currentDirectoryPath) {
        commands = ReplCommands(options: options)
        lookups = ReplLookups(options: options, workingDirectory: workingDirectory)
    }

    /// Answers a lookup method (`complete`, `inspect`, `isComplete`) on the caller's thread;
    /// bad params are an `RPCError` (-32602).
    public func lookup(_ method: String, _ params: JSONValue?) throws(RPCError) -> JSONValue {
        switch method {
        case Self.complete: return lookups.complete(try ReplCursorParams(params, inspect: false))
        case Self.inspect: return lookups.inspect(try ReplCursorParams(params, inspect: true))
        case Self.isComplete: return lookups.isComplete(try ReplCodeParams(params))
        default: throw .methodNotFound(method)
        }
    }
}
