/// Splits command text into statements and words.
///
/// - Words are separated by blanks. `"…"` and `'…'` quote (a backslash escapes inside double
///   quotes); a word that starts with `{` or `[` runs to its matching bracket, so a JSON object
///   may contain blanks (`call dataset/split {"dataset": "cards"}`).
/// - `#` at the start of a word begins a comment to the end of the line.
/// - `;` and a line break end a statement. Each statement keeps the 1-based line it starts on.
///   A `;` right after a word's `=` is the option's value instead (`delimiter=;`), so the one
///   delimiter that is also the statement separator needs no quotes.
public struct Statement: Equatable, Sendable {
    public var words: [String]
    public var line: Int

    public init(words: [String], line: Int) {
        self.words = words
        self.line = line
    }
}

/// Text the lexer cannot split: an unclosed quote or bracket, placed where it opened.
public struct LexError: Error, CustomStringConvertible, Equatable {
    public var message: String
    /// 1-based.
    public var line: Int
    /// 1-based, in Unicode code points (as editors count `cursor` in `repl/*`): `👍🏽` is two.
    public var column: Int
    public var description: String { message }
}

public enum Lexer {
    public static func statements(_ text: String) throws(LexError) -> [Statement] {
        var result: [Statement] = []
        var words: [String] = []
        var word = ""
        var inWord = false
        var line = 1
        var statementLine = 1
        var lineStart = 0
        let chars = Array(text)
        var i = 0

        /// The 1-based column of `chars[index]` on the line that starts at `start`, in code points.
        func column(_ index: Int, lineStartingAt start: Int) -> Int {
            chars[start..<index].reduce(1) { $0 + $1.unicodeScalars.count }
        }
        func endWord() {
            if inWord { words.append(word) }
            word = ""
            inWord = false
        }
        func endStatement() {
            endWord()
            if !words.isEmpty { result.append(Statement(words: words, line: statementLine)) }
            words = []
        }

        while i < chars.count {
            let c = chars[i]
            if words.isEmpty && !inWord && !(c == " " || c == "\t" || c == "\n" || c == "\r" || c == ";") {
                statementLine = line
            }
            switch c {
            case "\n":
                endStatement()
                line += 1
                i += 1
                lineStart = i
            case " ", "\t", "\r":
                endWord()
                i += 1
            case ";" where inWord && word.hasSuffix("="):
                word.append(c)
                i += 1
            case ";":
                endStatement()
                i += 1
            case "#" where !inWord:
                while i < chars.count && chars[i] != "\n" { i += 1 }
            case "\"", "'":
                inWord = true
                let quote = c
                let (startLine, startIndex, startLineStart) = (line, i, lineStart)
                i += 1
                var closed = false
                while i < chars.count {
                    let d = chars[i]
                    if d == quote { closed = true; i += 1; break }
                    if d == "\\" && quote == "\"" && i + 1 < chars.count {
                        let e = chars[i + 1]
                        word.append(e == "n" ? "\n" : e == "t" ? "\t" : e)
                        i += 2
                        continue
                    }
                    word.append(d)
                    i += 1
                    if d == "\n" { line += 1; lineStart = i }
                }
                if !closed { throw LexError(message: "The quote \(quote) opened here is never closed.", line: startLine,
                                                    column: column(startIndex, lineStartingAt: startLineStart)) }
            case "{" where !inWord || word.hasSuffix("="), "[" where !inWord || word.hasSuffix("="):
                // A JSON value: runs to the matching bracket, strings respected.
                inWord = true
                var depth = 0
                var inString = false
                let (startLine, startIndex, startLineStart) = (line, i, lineStart)
                while i < chars.count {
                    let d = chars[i]
                    word.append(d)
                    i += 1
                    if inString {
                        if d == "\\" && i < chars.count { word.append(chars[i]); i += 1 } else if d == "\"" { inString = false }
                        continue
                    }
                    if d == "\n" { line += 1; lineStart = i }
                    if d == "\"" { inString = true } else if d == "{" || d == "[" { depth += 1 } else if d == "}" || d == "]" {
                        depth -= 1
                        if depth == 0 { break }
                    }
                }
                if depth != 0 {
                    throw LexError(message: "The bracket opened here is never closed.", line: startLine,
                                   column: column(startIndex, lineStartingAt: startLineStart))
                }
            default:
                inWord = true
                word.append(c)
                i += 1
            }
        }
        endStatement()
        return result
    }
}
