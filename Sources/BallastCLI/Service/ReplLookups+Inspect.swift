import BallastProtocol

/// `repl/inspect`: `help` for the command of the statement at the cursor, led by the option's
/// own line when the cursor is on a `key=value`.
extension ReplLookups {
    public func inspect(_ params: ReplCursorParams) -> JSONValue {
        let code = CodeText(params.code)
        let statement = code.statement(around: params.cursor)
        let words = code.text(statement).split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" }).map(String.init)
        let grammar = grammar
        guard var (spec, _) = grammar.command(words) else { return ["found": false, "text": ""] }
        // `help train`: the help of the command it asks about.
        if spec.name == "help", words.count > 1, let asked = grammar.command(Array(words.dropFirst())) { spec = asked.spec }
        var text = grammar.help(spec.name)
        let span = code.word(at: params.cursor, breaks: CodeText.blanks.union([";"]))
        let word = code.text(span)
        if let eq = word.firstIndex(of: "="), eq != word.startIndex,
           let option = spec.options.first(where: { $0.key == String(word[..<eq]) }) {
            text = "\(option.key)=<\(option.kind.hint)>  → \(option.help)\n\n" + text
        }
        return ["found": true, "text": .string(text)]
    }
}
