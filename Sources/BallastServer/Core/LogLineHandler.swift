import Foundation
import Logging

/// A swift-log handler that writes one line per message to standard error:
/// `<ISO 8601 time> <label> <level>: <sentence>`, then any metadata as `key=value`.
///
/// Each line goes out in one `write`, so lines from different threads do not interleave.
public struct LogLineHandler: LogHandler {
    /// The label of the daemon's logger, which is also the name each line starts with.
    public static let daemonLabel = "ballastd"

    public let label: String
    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]

    public init(label: String) { self.label = label }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        let stamp = Date().formatted(.iso8601.year().month().day().time(includingFractionalSeconds: true))
        var line = "\(stamp) \(label) \(event.level.rawValue): \(event.message)"
        let merged = metadata.merging(event.metadata ?? [:]) { _, new in new }
        if !merged.isEmpty {
            line += " " + merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        }
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}
