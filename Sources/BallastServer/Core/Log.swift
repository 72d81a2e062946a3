import Foundation
import Logging

/// The daemon's log: a `Logging.Logger` (swift-log) behind the call shape the handlers use,
/// `log(.info, "A sentence.")`. Levels are swift-log's, from `trace` to `critical`.
public struct Log: Sendable {
    public typealias Level = Logger.Level

    public var logger: Logger

    /// Logs through `logger`, whose handler is whatever `LoggingSystem` was bootstrapped with.
    public init(_ logger: Logger) { self.logger = logger }

    /// Logs lines to standard error at `minimum` and above, without touching `LoggingSystem`
    /// (which may be bootstrapped once per process): what a daemon started inside tests uses.
    public init(minimum: Level = .info) {
        logger = Logger(label: LogLineHandler.daemonLabel) { LogLineHandler(label: $0) }
        logger.logLevel = minimum
    }

    public var minimum: Level {
        get { logger.logLevel }
        set { logger.logLevel = newValue }
    }

    public func callAsFunction(_ level: Level, _ message: @autoclosure () -> String,
                               file: String = #fileID, function: String = #function, line: UInt = #line) {
        logger.log(level: level, "\(message())", file: file, function: function, line: line)
    }
}
