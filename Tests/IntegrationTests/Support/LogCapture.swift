import BallastServer
import Foundation
import Logging
import Synchronization

/// The lines a daemon started in the tests logs, kept so a test can wait for one (a bound that
/// only catches a hang, never a timing).
final class LogCapture: Sendable {
    private let lines = Mutex<[String]>([])

    /// A `Log` for `ServerConfiguration.log` that keeps every line at `minimum` and above.
    func log(minimum: Logger.Level = .info) -> Log {
        var logger = Logger(label: LogLineHandler.daemonLabel) { [self] _ in Handler(capture: self) }
        logger.logLevel = minimum
        return Log(logger)
    }

    /// Whether a line containing `text` was logged within `bound` seconds.
    func waitForLine(containing text: String, bound: Double = 20) -> Bool {
        let deadline = Date().addingTimeInterval(bound)
        while Date() < deadline {
            if lines.withLock({ $0.contains { $0.contains(text) } }) { return true }
            usleep(2_000)
        }
        return false
    }

    var all: [String] { lines.withLock { $0 } }

    fileprivate func append(_ line: String) { lines.withLock { $0.append(line) } }

    private struct Handler: LogHandler {
        let capture: LogCapture
        var logLevel: Logger.Level = .info
        var metadata: Logger.Metadata = [:]

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) { capture.append("\(event.level.rawValue): \(event.message)") }
    }
}
