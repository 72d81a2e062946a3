import Testing
@testable import BallastCLI

/// What the grammar suites share: one statement parsed offline (the vocabulary the protocol
/// defines, paths relative to /home/user/work), or the usage error it gives.
protocol GrammarSuite {}

extension GrammarSuite {
    var grammar: Grammar { Grammar.offline }

    func parse(_ line: String) throws -> Invocation {
        let statements = try Lexer.statements(line)
        try #require(statements.count == 1)
        return try grammar.parse(statements[0].words, workingDirectory: "/home/user/work")
    }

    func usageError(_ line: String) -> String? {
        do {
            _ = try parse(line)
            return nil
        } catch let error as UsageError {
            return error.message
        } catch {
            return "\(error)"
        }
    }
}
