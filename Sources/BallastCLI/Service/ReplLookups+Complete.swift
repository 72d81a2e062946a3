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
        let span = code.word(at: params.cursor, breaks: Self.wordBreaks)
        let word = code.text(span.lowerBound..<params.cursor)
        let before = code.text(code.lineStart(before: span.lowerBound)..<span.lowerBound)
        let matches: [String]
        if let offered = Completion.candidates(line: before, word: word, session: session) {
            var seen: Set<String> = []
            matches = offered.filter { $0.hasPrefix(word) && seen.insert($0).inserted }.sorted()
        } else {
            matches = Self.paths(completing: word, from: workingDirectory)
        }
        return ["matches": .array(matches.map(JSONValue.string)),
                "cursor_start": .int(Int64(span.lowerBound)), "cursor_end": .int(Int64(span.upperBound))]
    }

    /// File and directory names that complete `word` (a path, maybe quoted, relative to
    /// `workingDirectory` or absolute or from `~`); directories end in `/`. Hidden entries only
    /// when the typed name starts with a dot.
    static func paths(completing word: String, from workingDirectory: String) -> [String] {
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
            return quote + folderPart + name + (isFolder.boolValue ? "/" : "")
        }
    }
}
