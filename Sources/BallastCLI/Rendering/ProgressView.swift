import BallastProtocol
import Foundation

/// The live display of a long request's `$/progress`: a bar updated in place (step of N, elapsed,
/// ETA, loss, validation F1) and a line of sparklines for the loss and the validation metric.
/// On a terminal with colour allowed it redraws two lines with cursor codes; with `NO_COLOR` it
/// rewrites one line with carriage returns; when standard output is not a terminal it is silent.
final class ProgressView {
    let terminal: Terminal
    private let output: any SessionOutput
    private var title = ""
    private var losses: [Double] = []
    private var validation: [Double] = []
    private var validationName = "val F1"
    private var linesDrawn = 0
    private var plainWidth = 0
    private let started = Date()
    private(set) var run: String?

    init(terminal: Terminal, output: any SessionOutput) {
        self.terminal = terminal
        self.output = output
    }

    func handle(_ method: String, _ params: JSONValue) {
        guard method == "$/progress", let value = params["value"] else { return }
        if let run = value["run"]?.stringValue { self.run = run }
        switch value["kind"]?.stringValue {
        case "begin":
            title = value["title"]?.stringValue ?? ""
            draw(value)
        case "report":
            if let loss = value["loss"]?.doubleValue { losses.append(loss) }
            if let f1 = value["validation"]?["f1"]?.doubleValue { validation.append(f1) }
            draw(value)
        default:
            break
        }
    }

    private func draw(_ value: JSONValue) {
        guard terminal.isTTY else { return }
        let step = value["step"]?.intValue ?? value["index"]?.intValue ?? value["fit"]?.intValue
        let total = value["total"]?.intValue
        let elapsed = value["elapsed_s"]?.doubleValue ?? Date().timeIntervalSince(started)
        var fraction = (value["percentage"]?.doubleValue).map { $0 / 100 }
        if fraction == nil, let step, let total, total > 0 { fraction = Double(step) / Double(total) }
        let barWidth = 24
        let filled = Int(((fraction ?? 0) * Double(barWidth)).rounded(.down))
        var parts: [String] = []
        let bar = String(repeating: "█", count: min(barWidth, filled)) + String(repeating: "░", count: max(0, barWidth - filled))
        parts.append(terminal.fancy ? terminal.cyan(bar) : bar)
        if let step, let total { parts.append("step \(step) of \(total)") }
        if let arm = value["arm"]?.stringValue, !arm.isEmpty { parts.append("arm \(arm)") }
        parts.append("elapsed \(Fmt.duration(elapsed))")
        if let step, let total, step > 0, total > step {
            parts.append("ETA \(Fmt.duration(elapsed * Double(total - step) / Double(step)))")
        }
        if let loss = losses.last { parts.append("loss \(Fmt.compact(loss))") }
        if let f1 = validation.last { parts.append("\(validationName) \(Fmt.num(f1, 3))") }
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
