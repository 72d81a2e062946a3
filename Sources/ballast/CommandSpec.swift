import BallastProtocol
import Foundation

/// The vocabulary of the command table: what kinds of values options take, and how a command
/// maps onto its method.
enum ValueKind: Sendable, Equatable {
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

    var hint: String {
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

/// What a word names, for completion.
enum NameKind: Sendable, Equatable {
    case none, dataset, model, file, method, command, run
    case choice([String])
}

struct OptionSpec: Sendable {
    var key: String
    var target: [String]
    var kind: ValueKind
    var names: NameKind = .none
    var help: String
}

struct Positional: Sendable {
    var metavar: String
    var target: [String]
    var kind: ValueKind
    var names: NameKind = .none
    var optional = false
}

struct UsageError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

struct CommandSpec: Sendable {
    var name: String
    /// nil for a local command.
    var method: String?
    var control = false
    var positionals: [Positional] = []
    var options: [OptionSpec] = []
    /// Where `as NAME` goes, when the command makes something.
    var asTarget: [String]?
    var summary: String
    var examples: [String] = []
    var notes: String = ""
    /// Fills params implied by others (e.g. `weights=` implies `loss=wce`).
    var finish: (@Sendable (inout [String: JSONValue]) -> Void)?

    var usage: String {
        var parts = [name]
        for p in positionals { parts.append(p.optional ? "[\(p.metavar)]" : p.metavar) }
        if !options.isEmpty { parts.append("[key=value…]") }
        if asTarget != nil { parts.append("[as NAME]") }
        return parts.joined(separator: " ")
    }
}

/// A parsed statement: the command and the params it sends.
struct Invocation {
    var spec: CommandSpec
    var params: [String: JSONValue]
    /// The raw positional words (local commands read these).
    var words: [String]
}
