import BallastProtocol
import Foundation

/// What a long request's `$/progress` has said so far, and the one line that shows it: bar, step
/// of N, arm, elapsed, ETA, the last loss and validation F1. The terminal's live display draws it
/// (`ProgressView`); `repl/execute` sends it as each progress notification's `text`.
public struct ProgressLine: Sendable {
    public private(set) var title = ""
    public private(set) var losses: [Double] = []
    public private(set) var validation: [Double] = []
    /// The (step, loss) and (step, validation F1) pairs of the reports, for training charts.
    public private(set) var lossByStep: [(Double, Double)] = []
    public private(set) var validationByStep: [(Double, Double)] = []
    public private(set) var run: String?
    /// The last report, whose step and total an `end` (which carries neither) is shown with.
    private var lastReport: JSONValue?
    let validationName = "val F1"
    private let started: Date

    public init(started: Date = Date()) { self.started = started }

    /// Takes one progress value (the daemon's `value`). Returns whether it changes the line
    /// (a begin or a report; the end does not).
    @discardableResult
    public mutating func take(_ value: JSONValue) -> Bool {
        if let run = value["run"]?.stringValue { self.run = run }
        switch value["kind"]?.stringValue {
        case "begin":
            title = value["title"]?.stringValue ?? ""
            return true
        case "report":
            lastReport = value
            let step = value["step"]?.doubleValue
            if let loss = value["loss"]?.doubleValue {
                losses.append(loss)
                if let step { lossByStep.append((step, loss)) }
            }
            if let f1 = value["validation"]?["f1"]?.doubleValue {
                validation.append(f1)
                if let step { validationByStep.append((step, f1)) }
            }
            return true
        default:
            return false
        }
    }

    /// The line's parts for `value` (the progress value just taken), the bar drawn by `bar`.
    /// A training counts steps of its total (the most it may take); a comparison counts its arms
    /// (`index` of `total`, the arm's own steps aside); a tune counts its fits (`fit` of `total`,
    /// with the candidate and the stage); an end says how many steps ran and why.
    func parts(_ value: JSONValue, bar paint: (String) -> String = { $0 }) -> [String] {
        let ended = value["kind"]?.stringValue == "end"
        let stoppedShort = ["cancelled", "failed"].contains(value["stop_reason"]?.stringValue ?? "")
        // The end carries no step of its own: the last report's, with the end's elapsed time.
        var shown = value
        if ended {
            var members = lastReport?.objectValue ?? [:]
            if let elapsed = value["elapsed_s"] { members["elapsed_s"] = elapsed }
            shown = .object(members)
        }
        let arm = shown["arm"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
        // A tune counts its fits, each of a candidate in a stage (selection, estimate, final).
        let candidate = shown["candidate"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
        let step = arm != nil ? shown["index"]?.intValue : shown["step"]?.intValue ?? shown["index"]?.intValue ?? shown["fit"]?.intValue
        let total = shown["total"]?.intValue
        let elapsed = shown["elapsed_s"]?.doubleValue ?? Date().timeIntervalSince(started)
        var fraction = (shown["percentage"]?.doubleValue).map { $0 / 100 }
        if fraction == nil, let step, let total, total > 0 { fraction = Double(arm != nil ? step - 1 : step) / Double(total) }
        if ended && !stoppedShort { fraction = 1 }
        let barWidth = 24
        let filled = Int(((fraction ?? 0) * Double(barWidth)).rounded(.down))
        var parts: [String] = []
        let bar = String(repeating: "█", count: min(barWidth, max(0, filled))) + String(repeating: "░", count: max(0, barWidth - max(0, filled)))
        parts.append(paint(bar))
        if ended && !stoppedShort {
            let reason = value["stop_reason"]?.stringValue.map { " (\($0))" } ?? ""
            if let winner = value["winner"]?.stringValue {
                parts.append("\((total ?? step).map { "\($0) fits" } ?? "done")\(reason), winner \(winner)")
            } else if let arms = value["arms"]?.intValue ?? (arm != nil ? total : nil) {
                parts.append("\(arms) arms done\(reason)")
            } else if let steps = value["steps"]?.intValue ?? step {
                parts.append("\(steps) step\(steps == 1 ? "" : "s")\(reason)")
            }
        } else if let arm, let step, let total {
            parts.append("arm \(step) of \(total): \(arm)")
        } else if let candidate, let step, let total {
            let stage = shown["stage"]?.stringValue.flatMap { $0.isEmpty ? nil : " (\($0))" } ?? ""
            parts.append("fit \(step) of \(total): \(candidate)\(stage)")
        } else if let step, let total {
            parts.append("step \(step) of \(total)")
        }
        parts.append("elapsed \(Fmt.duration(elapsed))")
        if !ended, arm == nil, let step, let total, step > 0, total > step {
            parts.append("ETA \(Fmt.duration(elapsed * Double(total - step) / Double(step)))")
        }
        if let loss = losses.last { parts.append("loss \(Fmt.compact(loss))") }
        if let f1 = validation.last { parts.append("\(validationName) \(Fmt.num(f1, 3))") }
        return parts
    }

    /// The line as plain text, at most `width` characters (no indent, no colour).
    public func text(_ value: JSONValue, width: Int) -> String {
        String(parts(value).joined(separator: "  ").prefix(max(1, width)))
    }
}

/// The live display of a long request's `$/progress`: a bar updated in place (step of N, elapsed,
/// ETA, loss, validation F1) and a line of sparklines for the loss and the validation metric.
/// On a terminal with colour allowed it redraws two lines with cursor codes; with `NO_COLOR` it
/// rewrites one line with carriage returns; when standard output is not a terminal it is silent.
final class ProgressView {
    let terminal: Terminal
    private let output: any SessionOutput
    private var line = ProgressLine()
    private var linesDrawn = 0
    private var plainWidth = 0
    var run: String? { line.run }
    private var title: String { line.title }
    private var losses: [Double] { line.losses }
    private var validation: [Double] { line.validation }
    private var validationName: String { line.validationName }

    init(terminal: Terminal, output: any SessionOutput) {
        self.terminal = terminal
        self.output = output
    }

    func handle(_ method: String, _ params: JSONValue) {
        guard method == "$/progress", let value = params["value"] else { return }
        if line.take(value) { draw(value) }
    }

    private func draw(_ value: JSONValue) {
        guard terminal.isTTY else { return }
        let parts = line.parts(value) { terminal.fancy ? terminal.cyan($0) : $0 }
        let line1 = "  " + parts.joined(separator: "  ")
        if terminal.fancy {
            var lines = [terminal.dim("  " + title), line1]
            if losses.count > 1 || validation.count > 1 { lines.append(chartLine()) }
            redraw(lines)
        } else {
            let text = String(("  " + parts.joined(separator: "  ")).prefix(terminal.width - 1))
            let pad = String(repeating: " ", count: max(0, plainWidth - text.count))
            plainWidth = text.count
            output.write("\r" + text + pad)
        }
    }

    private func chartLine() -> String {
        var text = "  loss \(Charts.sparkline(losses, width: 30))"
        if validation.count > 1 {
            text += "   \(validationName) \(Charts.sparkline(validation, width: 30))"
        }
        return text
    }

    private func redraw(_ lines: [String]) {
        var out = linesDrawn > 1 ? "\u{1B}[\(linesDrawn - 1)A" : ""
        out += "\r"
        out += lines.map { "\u{1B}[2K" + clip($0) }.joined(separator: "\n")
        linesDrawn = lines.count
        output.write(out)
    }

    /// Keeps a line within the terminal so it never wraps (which would break redrawing).
    private func clip(_ line: String) -> String {
        var visible = 0
        var out = ""
        var inEscape = false
        for c in line {
            if c == "\u{1B}" { inEscape = true }
            if inEscape { out.append(c); if c.isLetter { inEscape = false }; continue }
            if visible >= terminal.width - 1 { continue }
            out.append(c)
            visible += 1
        }
        return out
    }

    /// Erases the live display and leaves a one-line record of the curves.
    func finish() {
        guard terminal.isTTY else { return }
        if terminal.fancy {
            if linesDrawn > 0 {
                output.write((linesDrawn > 1 ? "\u{1B}[\(linesDrawn - 1)A" : "") + "\r\u{1B}[J")
                linesDrawn = 0
            }
        } else if plainWidth > 0 {
            output.write("\r" + String(repeating: " ", count: plainWidth) + "\r")
            plainWidth = 0
        }
        if losses.count > 1 {
            var text = "  loss \(Charts.sparkline(losses, width: 30)) \(Fmt.compact(losses.first!)) → \(Fmt.compact(losses.last!))"
            if validation.count > 1 {
                text += "   \(validationName) \(Charts.sparkline(validation, width: 20)) \(Fmt.num(validation.first!, 3)) → \(Fmt.num(validation.last!, 3))"
            }
            output.line(clip(text))
        }
    }
}
