import BallastProtocol
import Foundation

/// The lookup session of `repl/complete`, `repl/inspect` and `repl/is_complete`: its own
/// connection to the daemon, so it answers at once even while the command session waits on a
/// training (the daemon answers `dataset/list` on another session meanwhile).
///
/// Sendable by construction, not by the compiler: the bridge calls it from one thread at a time
/// (its serial lookup queue), which alone touches the session.
public final class ReplLookups: @unchecked Sendable {
    let session: Session
    /// Where relative paths are completed from: the bridge's working directory, where the
    /// grammar also makes a relative path absolute.
    let workingDirectory: String

    public init(options: SessionOptions, workingDirectory: String = FileManager.default.currentDirectoryPath) {
        session = Session(options: options, terminal: .plain(), output: CollectedOutput())
        self.workingDirectory = workingDirectory
    }

    /// The grammar built from the daemon's vocabulary, once it has answered; the offline one before.
    var grammar: Grammar {
        try? session.connect()
        return session.grammar
    }

    /// `repl/is_complete`: "incomplete" when the lexer stops at an unclosed quote or bracket
    /// (which always runs to the end of the text), "invalid" when a statement does not parse,
    /// "complete" otherwise.
    public func isComplete(_ params: ReplCodeParams) -> JSONValue {
        let statements: [Statement]
        do { statements = try Lexer.statements(params.code) } catch {
            return ["status": "incomplete", "indent": ""]
        }
        let grammar = grammar
        for statement in statements {
            do { _ = try grammar.parse(statement.words, workingDirectory: workingDirectory) } catch {
                return ["status": "invalid", "indent": ""]
            }
        }
        return ["status": "complete", "indent": ""]
    }
}
