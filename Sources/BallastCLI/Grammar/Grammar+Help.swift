import Foundation

extension Grammar {
    /// The left column of `help COMMAND`'s params: 18 wide, or the whole word and a blank when
    /// longer (cutting it would hide the option's name: `threshold=<number|…`).
    static func column(_ word: String) -> String {
        word.count < 18 ? word.padding(toLength: 18, withPad: " ", startingAt: 0) : word + " "
    }

    /// `help` or `help COMMAND`.
    public func help(_ name: String?) -> String {
        if let name, !name.isEmpty {
            guard let spec = spec(name) else { return "No command '\(name)'. Type 'help' for the list." }
            var lines = ["\(spec.usage)", "  \(spec.summary)"]
            if let method = spec.method {
                lines.append("  method: \(method)\(spec.control ? " (control socket)" : "")")
            } else {
                lines.append("  local command\(spec.name == "plot" ? " (uses run/events and model/evaluate)" : "")")
            }
            var mapping: [String] = []
            for p in spec.positionals where !p.target.isEmpty {
                mapping.append("    \(Self.column(p.metavar))→ \(p.target.joined(separator: "."))\(p.kind == .path ? " (made absolute here)" : "")")
            }
            for o in spec.options {
                let left = "\(o.key)=<\(o.kind.hint)>"
                mapping.append("    \(Self.column(left))→ \(o.help)")
            }
            if let asTarget = spec.asTarget { mapping.append("    \(Self.column("as NAME"))→ \(asTarget.joined(separator: "."))") }
            if !mapping.isEmpty { lines.append("  params:"); lines += mapping }
            if !spec.notes.isEmpty { lines.append("  note: \(spec.notes)") }
            if !spec.examples.isEmpty { lines.append("  examples:"); lines += spec.examples.map { "    \($0)" } }
            return lines.joined(separator: "\n")
        }
        var lines = ["Commands (each is one protocol method; 'help COMMAND' shows its params):"]
        for spec in commands {
            lines.append("  \(spec.name.padding(toLength: 15, withPad: " ", startingAt: 0))\(spec.summary)")
        }
        lines += ["",
                  "Grammar: COMMAND ARG… [key=value…] [as NAME]. Quote words with blanks (\"…\" or '…');",
                  "'#' starts a comment; ';' separates commands on one line. Tab completes commands,",
                  "options and the daemon's dataset and model names. Ctrl-C cancels a training; Ctrl-D leaves."]
        return lines.joined(separator: "\n")
    }
}
