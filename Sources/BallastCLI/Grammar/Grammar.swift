import BallastProtocol
import Foundation

/// The command language. One statement is
///
///     COMMAND POSITIONAL… [key=value…] [as NAME]
///
/// Each command is one protocol method; positionals and `key=value` options fill named params
/// (a dotted target such as `loss.weights.scheme` builds the nested object), `as NAME` fills the
/// name of what the command makes. The local commands (`help`, `exit`, `echo`, `plot`, `vs-seed`)
/// talk to no method or, for `plot`, to two. See `help COMMAND` for each mapping.
///
/// A grammar is built from a vocabulary: the lists of models, losses, schemes, … that the
/// daemon advertises in `initialize`'s capabilities. They feed completion and help; the daemon
/// itself checks every name it receives. Parsing lives here, the command table in
/// `CommandTable.swift`, help in `Grammar+Help.swift`.
public struct Grammar: Sendable {
    public let vocabulary: Initialize.Capabilities
    public let commands: [CommandSpec]

    public init(vocabulary: Initialize.Capabilities) {
        self.vocabulary = vocabulary
        commands = CommandTable.commands(vocabulary)
    }

    /// The grammar before any daemon has answered: the vocabulary is the protocol's own name
    /// lists (the `WireName` enums the daemon advertises), with no methods.
    public static let offline = Grammar(vocabulary: Initialize.Capabilities(methods: [], controlMethods: [], notifications: []))

    public func spec(_ name: String) -> CommandSpec? {
        let canonical = name == "quit" ? "exit" : name
        return commands.first { $0.name == canonical }
    }

    /// The command a statement's words name, and how many words name it: one (`runs`) or, for a
    /// subcommand, two (`runs compare`).
    public func command(_ words: [String]) -> (spec: CommandSpec, words: Int)? {
        guard let first = words.first else { return nil }
        if words.count > 1, let sub = spec(first + " " + words[1]) { return (sub, 2) }
        return spec(first).map { ($0, 1) }
    }

    /// The words that begin a command (`runs`, not `runs compare`), in the table's order.
    public var commandWords: [String] {
        var seen: Set<String> = []
        return commands.compactMap { spec in
            let word = String(spec.name.prefix { $0 != " " })
            return seen.insert(word).inserted ? word : nil
        }
    }

    /// The second words of `name`'s subcommands (`runs` → `next`, `show`, `compare`, `delete`).
    public func subcommands(of name: String) -> [String] {
        commands.compactMap { $0.name.hasPrefix(name + " ") ? String($0.name.dropFirst(name.count + 1)) : nil }
    }

    static func isRunID(_ word: String) -> Bool {
        word.count > 1 && word.first == "r" && word.dropFirst().allSatisfy(\.isNumber)
    }

    /// Turns a statement's words into the command and its params.
    public func parse(_ words: [String], workingDirectory: String = FileManager.default.currentDirectoryPath) throws(UsageError) -> Invocation {
        guard let first = words.first else { throw UsageError(message: "Empty command.") }
        guard let (spec, named) = command(words) else {
            var message = "Unknown command '\(first)'."
            if let close = Suggestion.closest(to: first, among: commandWords) { message += " Did you mean '\(close)'?" }
            throw UsageError(message: message + " Type 'help' for the list.")
        }
        var rest = Array(words.dropFirst(named))
        var params: [String: JSONValue] = [:]
        var positional: [String] = []
        // Local commands with free text.
        if spec.name == "echo" || spec.name == "call" {
            return Invocation(spec: spec, params: [:], words: rest)
        }
        if let asTarget = spec.asTarget, rest.count >= 2, rest[rest.count - 2] == "as" {
            Self.set(&params, asTarget, .string(rest[rest.count - 1]))
            rest.removeLast(2)
        } else if rest.contains("as") {
            throw UsageError(message: spec.asTarget == nil ? "'\(spec.name)' makes nothing to name: drop 'as'."
                                                           : "'as NAME' goes at the end of the command.")
        }
        for word in rest {
            if let eq = word.firstIndex(of: "="), eq != word.startIndex {
                let key = String(word[..<eq])
                let text = String(word[word.index(after: eq)...])
                guard let option = spec.options.first(where: { $0.key == key }) else {
                    let known = spec.options.map(\.key)
                    var message = "'\(spec.name)' has no option '\(key)'."
                    if let close = Suggestion.closest(to: key, among: known) { message += " Did you mean '\(close)'?" }
                    message += known.isEmpty ? " It takes no options." : " Options: \(known.joined(separator: ", "))."
                    throw UsageError(message: message)
                }
                if option.target.isEmpty { params["@" + key] = .string(text); continue }
                Self.set(&params, option.target, try Self.value(text, option.kind, what: key, workingDirectory: workingDirectory))
            } else {
                positional.append(word)
            }
        }
        let required = spec.positionals.filter { !$0.optional }.count
        let variadic = spec.positionals.last?.variadic == true
        if positional.count > spec.positionals.count && !variadic, case let subcommands = subcommands(of: spec.name), !subcommands.isEmpty {
            var message = "'\(spec.name)' has no subcommand '\(positional[0])'."
            if let close = Suggestion.closest(to: positional[0], among: subcommands) { message += " Did you mean '\(spec.name) \(close)'?" }
            throw UsageError(message: message + " It has " + CommandTable.spoken(subcommands.map { "'\(spec.name) \($0)'" }) + "; 'help \(spec.name)' shows its options.")
        }
        if positional.count < required || (positional.count > spec.positionals.count && !variadic) {
            let most = variadic ? "\(spec.positionals.count) or more" : "\(spec.positionals.count)"
            let expected = required == spec.positionals.count ? (variadic ? most : "\(required)") : "\(required) to \(most)"
            throw UsageError(message: "'\(spec.name)' takes \(expected) argument\(spec.positionals.count == 1 && !variadic ? "" : "s") before its options, got \(positional.count). Usage: \(spec.usage)")
        }
        for (index, slot) in spec.positionals.enumerated() where index < positional.count && !slot.target.isEmpty {
            if slot.variadic {
                var values: [JSONValue] = []
                for word in positional[index...] {
                    values.append(try Self.value(word, slot.kind, what: slot.metavar, workingDirectory: workingDirectory))
                }
                Self.set(&params, slot.target, .array(values))
            } else {
                Self.set(&params, slot.target, try Self.value(positional[index], slot.kind, what: slot.metavar, workingDirectory: workingDirectory))
            }
        }
        let notes = try spec.finish?(&params) ?? []
        return Invocation(spec: spec, params: params, words: positional, notes: notes)
    }

    static func set(_ params: inout [String: JSONValue], _ path: [String], _ value: JSONValue) {
        guard let head = path.first else { return }
        if path.count == 1 { params[head] = value; return }
        var inner = params[head]?.objectValue ?? [:]
        set(&inner, Array(path.dropFirst()), value)
        params[head] = .object(inner)
    }

    static func value(_ text: String, _ kind: ValueKind, what: String, workingDirectory: String) throws(UsageError) -> JSONValue {
        func bad() -> UsageError { UsageError(message: "\(what)= expects \(kind.hint), got '\(text)'.") }
        switch kind {
        case .text: return .string(text)
        case .number:
            guard let d = Double(text), d.isFinite else { throw bad() }
            return .double(d)
        case .integer:
            guard let i = Int64(text) else { throw bad() }
            return .int(i)
        case .bool:
            switch text.lowercased() {
            case "true", "yes", "1", "on": return .bool(true)
            case "false", "no", "0", "off": return .bool(false)
            default: throw bad()
            }
        case .words:
            if text.hasPrefix("[") { return try value(text, .json, what: what, workingDirectory: workingDirectory) }
            return .array(text.split(separator: ",").map { .string(String($0)) })
        case .integers:
            var out: [JSONValue] = []
            for part in text.split(separator: ",") {
                guard let i = Int64(part) else { throw bad() }
                out.append(.int(i))
            }
            return .array(out)
        case .grid:
            if text.hasPrefix("[") { return try value(text, .json, what: what, workingDirectory: workingDirectory) }
            let parts = text.split(separator: ":", omittingEmptySubsequences: false)
            if parts.count == 3 {
                guard let a = Double(parts[0]), let b = Double(parts[1]), let n = Int(parts[2]), n >= 1 else { throw bad() }
                if n == 1 { return .array([.double(a)]) }
                return .array((0..<n).map { i in
                    let x = a + (b - a) * Double(i) / Double(n - 1)
                    return .double((x * 1e12).rounded() / 1e12)
                })
            }
            var out: [JSONValue] = []
            for part in text.split(separator: ",") {
                guard let d = Double(part) else { throw bad() }
                out.append(.double(d))
            }
            return .array(out)
        case .json:
            if let parsed = try? JSONParser.parse(text) { return parsed }
            if let i = Int64(text) { return .int(i) }
            return .string(text)
        case .threshold:
            if let d = Double(text) { return .double(d) }
            return .string(text)
        case .path:
            return .string(absolutePath(text, workingDirectory: workingDirectory))
        }
    }

    static func absolutePath(_ path: String, workingDirectory: String) -> String {
        if path.hasPrefix("/") { return path }
        if path == "~" || path.hasPrefix("~/") { return (path as NSString).expandingTildeInPath }
        return URL(fileURLWithPath: workingDirectory).appendingPathComponent(path).standardized.path
    }
}
