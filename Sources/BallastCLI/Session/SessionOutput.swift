import Foundation

/// Where a session's text goes. The terminal front door writes to standard output and error; a
/// kernel, an editor bridge or a test collects the text instead.
public protocol SessionOutput: AnyObject {
    /// Text for the user, as it comes (no line break is added; progress lines redraw in place).
    func write(_ text: String)
    /// One line of an error report.
    func error(_ line: String)
}

extension SessionOutput {
    func line(_ text: String = "") { write(text + "\n") }
}

/// Standard output and error, written straight through (progress lines need no buffering surprises).
public final class StandardStreams: SessionOutput {
    public init() {}

    public func write(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    public func error(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}
