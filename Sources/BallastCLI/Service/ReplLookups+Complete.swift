import BallastProtocol
import Foundation

/// `repl/complete`: the REPL's Tab completion for the word at the cursor, with offsets in code points.
extension ReplLookups {
    /// Words break where the REPL's line editor breaks them: blanks, `=` (so an option's value
    /// completes on its own) and `;`.
    static let wordBreaks: Set<Unicode.Scalar> = [" ", "\t", "\r", "\n", "=", ";"]

    public func complete(_ params: ReplCursorParams) -> JSONValue {
        try? session.connect()
        let code = CodeText(params.code)
        let lineStart = code.lineStart(before: params.cursor)
        // Inside a quote the word is the quoted text from its quote on, blanks and all, to the
        // closing quote (kept) or the end of the line.
        let quoted = code.openQuote(from: lineStart, before: params.cursor)
        let span = quoted.map { $0.opening..<($0.closing ?? code.lineEnd(after: params.cursor)) }
            ?? code.word(at: params.cursor, breaks: Self.wordBreaks)
        let word = code.text(span.lowerBound..<params.cursor)
        let before = code.text(lineStart..<span.lowerBound)
        var matches: [String]
        if let offered = Completion.candidates(line: before, word: word, session: session) {
            var seen: Set<String> = []
            matches = offered.filter { $0.hasPrefix(word) && seen.insert($0).inserted }.sorted()
            // The key of a `key=value` already written: its `=` is there, so the match replaces
            // the key alone (`lr` in `lr=0.1`, not `lr==0.1`).
            if span.upperBound < code.count && code.scalars[span.upperBound] == "=" {
                seen = []
                matches = matches.map { $0.hasSuffix("=") ? String($0.dropLast()) : $0 }.filter { seen.insert($0).inserted }
            }
        } else {
            matches = Self.paths(completing: word, from: workingDirectory, closed: quoted?.closing != nil)
        }
        return ["matches": .array(matches.map(JSONValue.string)),
                "cursor_start": .int(Int64(span.lowerBound)), "cursor_end": .int(Int64(span.upperBound))]
    }

    /// File and directory names that complete `word` (a path, maybe quoted, relative to
    /// `workingDirectory` or absolute or from `~`); directories end in `/`. Hidden entries only
    /// when the typed name starts with a dot. A name the lexer would split (a blank, a quote,
    /// `;`, `#`) is offered in double quotes; a quoted file is closed unless `closed` (its
    /// closing quote is already written after the cursor), a quoted folder left open to go on.
    static func paths(completing word: String, from workingDirectory: String, closed: Bool = false) -> [String] {
        var quote = ""
        var typed = word
        if let first = typed.first, first == "\"" || first == "'" {
            quote = String(first)
            typed.removeFirst()
        }
        let slash = typed.lastIndex(of: "/")
        let folderPart = slash.map { String(typed[...$0]) } ?? ""
        let namePart = slash.map { String(typed[typed.index(after: $0)...]) } ?? typed
        var folder = folderPart.isEmpty ? "." : folderPart
        if folder == "~" || folder.hasPrefix("~/") { folder = (folder as NSString).expandingTildeInPath }
        if !folder.hasPrefix("/") { folder = workingDirectory + "/" + folder }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.filter { $0.hasPrefix(namePart) && (namePart.hasPrefix(".") || !$0.hasPrefix(".")) }.sorted().map { name in
            var isFolder: ObjCBool = false
            FileManager.default.fileExists(atPath: folder + "/" + name, isDirectory: &isFolder)
            let path = folderPart + name + (isFolder.boolValue ? "/" : "")
            var open = quote
            if open.isEmpty && path.contains(where: { " \t\"';#".contains($0) }) { open = "\"" }
            // Inside double quotes a backslash escapes: a quote or backslash in the name is escaped.
            let written = open == "\"" && quote.isEmpty
                ? path.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") : path
            let close = !open.isEmpty && !isFolder.boolValue && !closed ? open : ""
            return open + written + close
        }
    }
}
