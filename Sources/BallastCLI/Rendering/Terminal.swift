import Foundation

/// What standard output is: colour and cursor codes only on a terminal without `NO_COLOR`.
public struct Terminal: Sendable, Equatable {
    public var isTTY: Bool
    /// Colour and cursor movement allowed.
    public var fancy: Bool
    public var width: Int
    /// Whether standard error is a terminal too (errors are shown in red only then).
    public var errorsToTTY: Bool

    public init(isTTY: Bool, fancy: Bool, width: Int, errorsToTTY: Bool = false) {
        self.isTTY = isTTY
        self.fancy = fancy
        self.width = width
        self.errorsToTTY = errorsToTTY
    }

    /// Plain text of a given width: no colour, no cursor codes, no live progress (files, tests,
    /// front doors that draw their own).
    public static func plain(width: Int = 100) -> Terminal {
        Terminal(isTTY: false, fancy: false, width: width)
    }

    /// What this process's standard output and error are.
    public static func detect() -> Terminal {
        let tty = isatty(STDOUT_FILENO) == 1
        let noColor = (ProcessInfo.processInfo.environment["NO_COLOR"].map { !$0.isEmpty }) ?? false
        var size = winsize()
        var width = 100
        if tty, ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 20 { width = Int(size.ws_col) }
        if let columns = ProcessInfo.processInfo.environment["COLUMNS"].flatMap(Int.init), columns > 20 { width = columns }
        return Terminal(isTTY: tty, fancy: tty && !noColor && ProcessInfo.processInfo.environment["TERM"] != "dumb", width: width,
                        errorsToTTY: isatty(STDERR_FILENO) == 1)
    }

    public func bold(_ s: String) -> String { fancy ? "\u{1B}[1m\(s)\u{1B}[0m" : s }
    public func dim(_ s: String) -> String { fancy ? "\u{1B}[2m\(s)\u{1B}[0m" : s }
    public func red(_ s: String) -> String { fancy ? "\u{1B}[31m\(s)\u{1B}[0m" : s }
    public func green(_ s: String) -> String { fancy ? "\u{1B}[32m\(s)\u{1B}[0m" : s }
    public func cyan(_ s: String) -> String { fancy ? "\u{1B}[36m\(s)\u{1B}[0m" : s }
}
