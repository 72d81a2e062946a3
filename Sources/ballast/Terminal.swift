import Foundation

/// What standard output is: colour and cursor codes only on a terminal without `NO_COLOR`.
struct Terminal: Sendable {
    var isTTY: Bool
    /// Colour and cursor movement allowed.
    var fancy: Bool
    var width: Int

    static func detect() -> Terminal {
        let tty = isatty(STDOUT_FILENO) == 1
        let noColor = (ProcessInfo.processInfo.environment["NO_COLOR"].map { !$0.isEmpty }) ?? false
        var size = winsize()
        var width = 100
        if tty, ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 20 { width = Int(size.ws_col) }
        if let columns = ProcessInfo.processInfo.environment["COLUMNS"].flatMap(Int.init), columns > 20 { width = columns }
        return Terminal(isTTY: tty, fancy: tty && !noColor && ProcessInfo.processInfo.environment["TERM"] != "dumb", width: width)
    }

    func bold(_ s: String) -> String { fancy ? "\u{1B}[1m\(s)\u{1B}[0m" : s }
    func dim(_ s: String) -> String { fancy ? "\u{1B}[2m\(s)\u{1B}[0m" : s }
    func red(_ s: String) -> String { fancy ? "\u{1B}[31m\(s)\u{1B}[0m" : s }
    func green(_ s: String) -> String { fancy ? "\u{1B}[32m\(s)\u{1B}[0m" : s }
    func cyan(_ s: String) -> String { fancy ? "\u{1B}[36m\(s)\u{1B}[0m" : s }
}

/// Writes to standard output without Swift's buffering surprises (progress lines need flushing).
enum Out {
    static func write(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }
    static func line(_ text: String = "") { write(text + "\n") }
    static func error(_ text: String) { FileHandle.standardError.write(Data((text + "\n").utf8)) }
}

/// An aligned text table: the first row is the header; numeric-looking cells align right.
struct Table {
    var header: [String]
    var rows: [[String]] = []
    var indent = "  "
    /// Columns aligned left regardless of content.
    var leftColumns: Set<Int> = [0]

    init(_ header: [String], leftColumns: Set<Int> = [0]) {
        self.header = header
        self.leftColumns = leftColumns
    }

    mutating func add(_ row: [String]) { rows.append(row) }

    func render(_ terminal: Terminal, separator: String = "  ") -> String {
        let columns = header.count
        var widths = header.map(\.count)
        for row in rows {
            for (i, cell) in row.enumerated() where i < columns { widths[i] = max(widths[i], cell.count) }
        }
        func format(_ row: [String]) -> String {
            var parts: [String] = []
            for i in 0..<columns {
                let cell = i < row.count ? row[i] : ""
                let pad = String(repeating: " ", count: widths[i] - cell.count)
                parts.append(leftColumns.contains(i) ? cell + pad : pad + cell)
            }
            var line = indent + parts.joined(separator: separator)
            while line.hasSuffix(" ") { line.removeLast() }
            return line
        }
        var lines = [terminal.bold(format(header))]
        lines.append(indent + widths.map { String(repeating: "─", count: $0) }.joined(separator: separator))
        lines += rows.map(format)
        return lines.joined(separator: "\n")
    }
}

enum Fmt {
    static func num(_ value: Double?, _ digits: Int = 4) -> String {
        guard let value else { return "–" }
        if value.isNaN { return "nan" }
        return String(format: "%.\(digits)f", value)
    }

    /// A count with thousands separators.
    static func count(_ value: Int64?) -> String {
        guard let value else { return "–" }
        let digits = String(value.magnitude)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return (value < 0 ? "-" : "") + out
    }

    static func compact(_ value: Double) -> String {
        if value == 0 { return "0" }
        let a = abs(value)
        if a >= 1e5 || a < 1e-3 { return String(format: "%.3g", value) }
        if a >= 100 { return String(format: "%.1f", value) }
        return String(format: "%.4g", value)
    }

    static func duration(_ seconds: Double) -> String {
        if !seconds.isFinite || seconds < 0 { return "–" }
        if seconds < 10 { return String(format: "%.1fs", seconds) }
        let s = Int(seconds.rounded())
        if s < 3600 { return String(format: "%d:%02d", s / 60, s % 60) }
        return String(format: "%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60)
    }

    static func bytes(_ value: Double?) -> String {
        guard let value else { return "–" }
        if value >= 1e9 { return String(format: "%.1f GB", value / 1e9) }
        if value >= 1e6 { return String(format: "%.1f MB", value / 1e6) }
        if value >= 1e3 { return String(format: "%.1f kB", value / 1e3) }
        return "\(Int(value)) B"
    }
}
