/// An editor's code as Unicode code points, the unit of `repl/complete`'s and `repl/inspect`'s
/// `cursor` (Jupyter's `cursor_pos`): the word at a place, the line and statement around it.
struct CodeText {
    let scalars: [Unicode.Scalar]

    init(_ code: String) { scalars = Array(code.unicodeScalars) }

    var count: Int { scalars.count }

    func text(_ range: Range<Int>) -> String {
        var out = String.UnicodeScalarView()
        out.append(contentsOf: scalars[range])
        return String(out)
    }

    /// The span of the word around `cursor`, words ending at any of `breaks`.
    func word(at cursor: Int, breaks: Set<Unicode.Scalar>) -> Range<Int> {
        var start = cursor
        while start > 0 && !breaks.contains(scalars[start - 1]) { start -= 1 }
        var end = cursor
        while end < count && !breaks.contains(scalars[end]) { end += 1 }
        return start..<end
    }

    /// Where the line holding `offset` starts.
    func lineStart(before offset: Int) -> Int {
        var start = offset
        while start > 0 && scalars[start - 1] != "\n" { start -= 1 }
        return start
    }

    /// The statement around `cursor`: from after the `;` or line break before it to the next one
    /// (a `;` right after `=` is a value, as the lexer reads it: `delimiter=;`).
    func statement(around cursor: Int) -> Range<Int> {
        func ends(_ i: Int) -> Bool {
            scalars[i] == "\n" || (scalars[i] == ";" && (i == 0 || scalars[i - 1] != "="))
        }
        var start = cursor
        while start > 0 && !ends(start - 1) { start -= 1 }
        var end = cursor
        while end < count && !ends(end) { end += 1 }
        return start..<end
    }

    static let blanks: Set<Unicode.Scalar> = [" ", "\t", "\r", "\n"]
}
