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

    /// Where the line holding `offset` ends (its line break, or the end of the text).
    func lineEnd(after offset: Int) -> Int {
        var end = offset
        while end < count && scalars[end] != "\n" { end += 1 }
        return end
    }

    /// The quote still open at `cursor` on the line from `lineStart`, as the lexer reads quotes
    /// (a backslash escapes inside double quotes; a `{…}` or `[…]` word is JSON, its strings its
    /// own; `#` at a word's start comments out the rest): where it opens, and where it closes
    /// after the cursor (nil when it does not on this line).
    func openQuote(from lineStart: Int, before cursor: Int) -> (opening: Int, closing: Int?)? {
        var i = lineStart
        var wordStart = true
        while i < cursor {
            let c = scalars[i]
            switch c {
            case " ", "\t", "\r", ";":
                wordStart = true
                i += 1
            case "#" where wordStart:
                return nil
            case "\"", "'":
                let opening = i
                i += 1
                while i < count && scalars[i] != "\n" && scalars[i] != c {
                    i += c == "\"" && scalars[i] == "\\" ? 2 : 1
                }
                let closing = i < count && scalars[i] == c ? i : nil
                if closing == nil || closing! >= cursor { return (opening, closing) }
                i += 1
                wordStart = false
            case "{" where wordStart || (i > 0 && scalars[i - 1] == "="), "[" where wordStart || (i > 0 && scalars[i - 1] == "="):
                var depth = 0, inString = false
                while i < cursor {
                    let d = scalars[i]
                    i += 1
                    if inString { if d == "\\" { i += 1 } else if d == "\"" { inString = false }; continue }
                    if d == "\"" { inString = true } else if d == "{" || d == "[" { depth += 1 } else if d == "}" || d == "]" {
                        depth -= 1
                        if depth == 0 { break }
                    }
                }
                wordStart = false
            default:
                wordStart = false
                i += 1
            }
        }
        return nil
    }

    static let blanks: Set<Unicode.Scalar> = [" ", "\t", "\r", "\n"]
}
