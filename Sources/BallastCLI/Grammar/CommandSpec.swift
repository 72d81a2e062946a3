import BallastProtocol
import Foundation

/// The vocabulary of the command table: what kinds of values options take, and how a command
/// maps onto its method.
public enum ValueKind: Sendable, Equatable {
    case text, number, integer, bool
    /// Comma-separated words: `arms=ce,wce_inverse`.
    case words
    /// Comma-separated integers: `hidden=64,32`.
    case integers
    /// `a:b:n` (n evenly spaced values from a to b, both included) or `a,b,c`.
    case grid
    /// Any JSON value, written as JSON.
    case json
    /// A number or a word (`standard`, `best_f1`).
    case threshold
    /// A file path, made absolute against the client's working directory (the daemon's may differ).
    case path

    public var hint: String {
        switch self {
        case .text: "word"
        case .number: "number"
        case .integer: "integer"
        case .bool: "true|false"
        case .words: "a,b,…"
        case .integers: "n,n,…"
        case .grid: "from:to:count | a,b,…"
        case .json: "JSON"
        case .threshold: "number|standard|best_f1"
        case .path: "path"
        }
    }
}

/// What a word names, for completion. A `choice` list comes from the vocabulary the grammar
/// was built with (the daemon's capabilities), never from a list of the client's own.
public enum NameKind: Sendable, Equatable {
    case none, dataset, model, file, method, command, run
    /// The final metrics of the daemon's runs (`validation.f1`), and for sorting also `started`,
    /// `ended` and `seconds`.
    case runMetric, runSortKey
    case choice([String])
}

/// A `key=value` option: where its value goes in params, and how it is read.
public struct OptionSpec: Sendable {
    public var key: String
    /// The dotted path in params (`["loss", "weights", "scheme"]`); empty for a local command's option.
    public var target: [String]
    public var kind: ValueKind
    public var names: NameKind = .none
    public var help: String
}

/// A word before the options: where it goes in params.
public struct Positional: Sendable {
    public var metavar: String
    /// The path in params; empty for a local command's word.
    public var target: [String]
    public var kind: ValueKind
    public var names: NameKind = .none
    public var optional = false
    /// The last positional may take every remaining word (`runs delete RUN…`): its target gets
    /// an array of them.
    public var variadic = false
}

/// A statement the grammar refuses, with a sentence that says what to write instead.
public struct UsageError: Error, CustomStringConvertible, Equatable {
    public var message: String
    public var description: String { message }

    public init(message: String) { self.message = message }
}

/// One command: the method it sends, its positionals and options, its help.
public struct CommandSpec: Sendable {
    public var name: String
    /// nil for a local command.
    public var method: String?
    public var control = false
    public var positionals: [Positional] = []
    public var options: [OptionSpec] = []
    /// Where `as NAME` goes, when the command makes something.
    public var asTarget: [String]?
    public var summary: String
    public var examples: [String] = []
    public var notes: String = ""
    /// Fills params implied by others (e.g. `weights=` implies `loss=wce`), and returns a note for
    /// each implication the person should hear about; refuses options that contradict each other.
    var finish: (@Sendable (inout [String: JSONValue]) throws(UsageError) -> [String])?

    public var usage: String {
        var parts = [name]
        for p in positionals {
            let word = p.variadic && !p.metavar.hasSuffix("…") ? p.metavar + "…" : p.metavar
            parts.append(p.optional ? "[\(word)]" : word)
        }
        if !options.isEmpty { parts.append("[key=value…]") }
        if asTarget != nil { parts.append("[as NAME]") }
        return parts.joined(separator: " ")
    }
}

/// A parsed statement: the command and the params it sends.
public struct Invocation: Sendable {
    public var spec: CommandSpec
    public var params: [String: JSONValue]
    /// The raw positional words (local commands read these).
    public var words: [String]
    /// What the grammar chose for the person that they did not write (`optimizer: adam (implied
    /// by epochs=)`), shown before the command runs.
    public var notes: [String] = []
}
