/// Tab completion: the candidates for the word being typed, given the line before it.
///
/// Commands, option keys and every `choice` list come from the grammar (so from the daemon's
/// vocabulary); dataset, model, run and method names from `names`, which a session answers by
/// asking the daemon.
public enum Completion {
    /// Candidates for `word`, where `line` is the text before it (up to the word's start);
    /// nil means complete a file name. The caller keeps those that start with `word`.
    public static func candidates(line: String, word: String, session: Session) -> [String]? {
        candidates(line: line, word: word, grammar: session.grammar, names: session.names)
    }

    static func candidates(line: String, word: String, grammar: Grammar, names: (NameKind) -> [String]) -> [String]? {
        func offered(_ kind: NameKind) -> [String] {
            switch kind {
            case .choice(let values): values
            case .command: grammar.commandWords
            case .file, .none: []
            case .dataset, .model, .run, .method, .runMetric, .runSortKey: names(kind)
            }
        }
        // The statement being typed is what follows the last ';' that ends one (as the lexer
        // reads it, a ';' right after '=' is a value: `delimiter=;`).
        let chars = Array(line)
        let end = chars.indices.last { chars[$0] == ";" && ($0 == 0 || chars[$0 - 1] != "=") }
        let current = end.map { String(chars[($0 + 1)...]) } ?? line
        let before = current.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        if before.isEmpty {
            return grammar.commandWords + ["quit"]
        }
        guard let (spec, named) = grammar.command(before) else { return [] }
        if current.hasSuffix("=") {
            // Completing an option's value: the key is the last word before '='.
            let key = String(before.last!.dropLast())
            guard let option = spec.options.first(where: { $0.key == key }) else { return [] }
            return listed(offered(option.names), after: option.kind == .words ? word : "")
        }
        if before.last == "as" { return [] }
        let positionalsSoFar = before.dropFirst(named).filter { !$0.contains("=") }.count
        var candidates: [String] = []
        if spec.name == "help" {
            switch positionalsSoFar {
            case 0: return grammar.commandWords
            case 1: return grammar.subcommands(of: before[1])
            default: return []
            }
        }
        if named == 1 && positionalsSoFar == 0 { candidates += grammar.subcommands(of: spec.name) }
        let slot = positionalsSoFar < spec.positionals.count ? spec.positionals[positionalsSoFar]
                                                             : spec.positionals.last.flatMap { $0.variadic ? $0 : nil }
        if let slot {
            if slot.names == .file { return nil }
            candidates += offered(slot.names)
        }
        let used = Set(before.compactMap { $0.split(separator: "=").first.map(String.init) })
        if positionalsSoFar >= spec.positionals.filter({ !$0.optional }).count {
            candidates += spec.options.map { $0.key + "=" }.filter { !used.contains(String($0.dropLast())) }
            if spec.asTarget != nil { candidates.append("as") }
        }
        return candidates
    }

    /// A list's next item (`candidates=ce,wce_` → `ce,wce_balanced`, …): each name not in the
    /// list yet, after the items written so far; the names themselves for the first item.
    static func listed(_ names: [String], after word: String) -> [String] {
        guard let comma = word.lastIndex(of: ",") else { return names }
        let head = String(word[...comma])
        let written = Set(head.split(separator: ",").map(String.init))
        return names.filter { !written.contains($0) }.map { head + $0 }
    }
}
