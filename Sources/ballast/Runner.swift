import BallastProtocol
import Foundation

/// Runs statements from a script, `-c`, piped input or the REPL, and reports failures.
enum Runner {
    /// Prints a failure: `FILE:LINE: error: message (code N)` and the error's data, one member a line.
    static func report(_ failure: Failure, source: String?, line: Int?, session: Session) {
        let place = source.map { "\($0):\(line ?? 0): " } ?? ""
        var text: String
        switch failure {
        case .usage(let message): text = "\(place)error: \(message)"
        case .unavailable(let message): text = "\(place)error: \(message)"
        case .daemon(let error):
            if error.code == ErrorCode.requestCancelled {
                text = "\(place)cancelled: \(error.message)"
                if let run = error.data?["run"]?.stringValue { text += " (run \(run))" }
                if let steps = error.data?["steps"]?.intValue { text += "; stopped after \(steps) steps" }
            } else {
                text = "\(place)error: \(error.message) (code \(error.code))"
                for (key, value) in (error.data?.objectValue ?? [:]).sorted(by: { $0.key < $1.key }) {
                    let shown: String
                    if let list = value.arrayValue, list.allSatisfy({ $0.stringValue != nil }) {
                        shown = list.isEmpty ? "(none)" : list.compactMap(\.stringValue).joined(separator: ", ")
                    } else {
                        shown = value.stringValue ?? JSONWriter.string(value)
                    }
                    text += "\n  \(key): \(shown)"
                }
            }
        }
        Out.error(session.terminal.fancy && isatty(STDERR_FILENO) == 1 ? session.terminal.red(text) : text)
        if session.options.json {
            var object: [String: JSONValue] = ["ok": false]
            switch failure {
            case .daemon(let error): object["error"] = error.json
            case .usage(let message): object["error"] = ["code": "usage", "message": .string(message)]
            case .unavailable(let message): object["error"] = ["code": "unavailable", "message": .string(message)]
            }
            if let source { object["file"] = .string(source) }
            if let line { object["line"] = .int(Int64(line)) }
            Out.line(JSONWriter.string(.object(object)))
        }
    }

    /// Runs a whole script. Stops at the first failure unless `keepGoing`. Returns the exit status:
    /// 0, or the first failure's (1 daemon error, 2 usage, 3 no daemon, 130 interrupted).
    static func script(_ text: String, source: String, session: Session) -> Int32 {
        let statements: [Statement]
        do { statements = try Lexer.statements(text) } catch {
            report(.usage(error.message), source: source, line: error.line, session: session)
            return 2
        }
        var status: Int32 = 0
        for statement in statements {
            do {
                let invocation: Invocation
                do { invocation = try Grammar.parse(statement.words) } catch { throw Failure.usage(error.message) }
                if try !session.execute(invocation) { break }
            } catch let failure as Failure {
                report(failure, source: source, line: statement.line, session: session)
                let interrupted = Interrupts.shared.cancelWasSent
                if status == 0 { status = interrupted ? 130 : failure.exitCode }
                if interrupted { return 130 }
                if case .unavailable = failure { return status }
                if !session.options.keepGoing { return status }
            } catch {
                report(.usage("\(error)"), source: source, line: statement.line, session: session)
                if status == 0 { status = 2 }
                if !session.options.keepGoing { return status }
            }
        }
        return status
    }
}

/// The interactive loop: libedit line editing, history, completion; Ctrl-C cancels a running
/// request (the loop lives on); Ctrl-D or `exit` leaves.
final class REPL {
    let session: Session
    private var editor: LineEditor!

    init(session: Session) { self.session = session }

    func run() -> Int32 {
        let client: Any
        do { client = try session.connection() } catch {
            Runner.report(error, source: nil, line: nil, session: session)
            return error.exitCode
        }
        _ = client
        editor = LineEditor(historyPath: LineEditor.defaultHistoryPath) { [session] line, word in
            REPL.complete(line: line, word: word, session: session)
        }
        var wake: [Int32] = [0, 0]
        _ = pipe(&wake)
        let wakeWrite = wake[1]
        Interrupts.shared.onIdleInterrupt = {
            var byte: UInt8 = 1
            _ = write(wakeWrite, &byte, 1)
        }
        Out.line("Ballast \(ProtocolVersion.serverVersion): 'help' lists the commands, Tab completes, Ctrl-C cancels a training, Ctrl-D leaves.")
        while true {
            guard let line = editor.read(prompt: "ballast> ", wake: wake[0]) else {
                Out.line()
                return 0
            }
            let statements: [Statement]
            do { statements = try Lexer.statements(line) } catch {
                Runner.report(.usage(error.message), source: nil, line: nil, session: session)
                continue
            }
            for statement in statements {
                do {
                    let invocation: Invocation
                    do { invocation = try Grammar.parse(statement.words) } catch { throw Failure.usage(error.message) }
                    if try !session.execute(invocation) { return 0 }
                } catch let failure as Failure {
                    Runner.report(failure, source: nil, line: nil, session: session)
                    break
                } catch {
                    Runner.report(.usage("\(error)"), source: nil, line: nil, session: session)
                    break
                }
            }
        }
    }

    /// Candidates for the word being typed, given the line before it.
    static func complete(line: String, word: String, session: Session) -> [String]? {
        // The statement being typed is what follows the last ';'.
        let current = line.split(separator: ";", omittingEmptySubsequences: false).last.map(String.init) ?? line
        let before = current.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        let endsWithEquals = current.hasSuffix("=")
        if before.isEmpty {
            return Grammar.all.map(\.name) + ["quit"]
        }
        guard let spec = Grammar.spec(before[0]) else { return [] }
        if endsWithEquals {
            // Completing an option's value: the key is the last word before '='.
            let key = String(before.last!.dropLast())
            guard let option = spec.options.first(where: { $0.key == key }) else { return [] }
            return names(option.names, session: session)
        }
        if before.last == "as" { return [] }
        let positionalsSoFar = before.dropFirst().filter { !$0.contains("=") }.count
        var candidates: [String] = []
        if spec.name == "help" { return positionalsSoFar == 0 ? Grammar.all.map(\.name) : [] }
        if positionalsSoFar < spec.positionals.count {
            if spec.positionals[positionalsSoFar].names == .file { return nil }
            candidates += names(spec.positionals[positionalsSoFar].names, session: session)
        }
        let used = Set(before.compactMap { $0.split(separator: "=").first.map(String.init) })
        if positionalsSoFar >= spec.positionals.filter({ !$0.optional }).count {
            candidates += spec.options.map { $0.key + "=" }.filter { !used.contains(String($0.dropLast())) }
            if spec.asTarget != nil { candidates.append("as") }
        }
        return candidates
    }

    static func names(_ kind: NameKind, session: Session) -> [String] {
        switch kind {
        case .choice(let values): return values
        case .command: return Grammar.all.map(\.name)
        case .file:
            return []
        default: return session.names(kind)
        }
    }
}
