import BallastProtocol
import Foundation

/// Runs statements from a script, `-c`, piped input or the REPL, and reports failures.
public enum Runner {
    /// Prints a failure: `FILE:LINE: error: message (code N)` and the error's data, one member a line.
    public static func report(_ failure: Failure, source: String?, line: Int?, session: Session) {
        let place = source.map { "\($0):\(line ?? 0): " } ?? ""
        var text: String
        switch failure {
        case .usage(let message), .unavailable(let message), .timedOut(let message): text = "\(place)error: \(message)"
        case .interrupted(let message): text = "\(place)cancelled: \(message)"
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
        session.output.error(session.terminal.fancy && session.terminal.errorsToTTY ? session.terminal.red(text) : text)
        if session.options.json {
            var object: [String: JSONValue] = ["ok": false]
            switch failure {
            case .daemon(let error): object["error"] = error.json
            case .usage(let message), .unavailable(let message), .timedOut(let message), .interrupted(let message):
                object["error"] = ["code": .string(failure.kind), "message": .string(message)]
            }
            if let source { object["file"] = .string(source) }
            if let line { object["line"] = .int(Int64(line)) }
            session.output.line(JSONWriter.string(.object(object)))
        }
    }

    /// Runs a whole script. Stops at the first failure unless `keepGoing`. Returns the exit status:
    /// success, or the first failure's status (`ExitStatus`).
    public static func script(_ text: String, source: String, session: Session) -> Int32 {
        let statements: [Statement]
        do { statements = try Lexer.statements(text) } catch {
            report(.usage(error.message), source: source, line: error.line, session: session)
            return ExitStatus.usage
        }
        var status = ExitStatus.success
        for statement in statements {
            do {
                let invocation: Invocation
                do { invocation = try session.grammar.parse(statement.words) } catch { throw Failure.usage(error.message) }
                if try !session.execute(invocation) { break }
            } catch let failure as Failure {
                report(failure, source: source, line: statement.line, session: session)
                let interrupted = session.canceller.cancelWasSent
                if status == ExitStatus.success { status = interrupted ? ExitStatus.interrupted : failure.exitCode }
                if interrupted { return ExitStatus.interrupted }
                switch failure {
                case .unavailable, .timedOut, .interrupted: return status
                default: break
                }
                if !session.options.keepGoing { return status }
            } catch {
                report(.usage("\(error)"), source: source, line: statement.line, session: session)
                if status == ExitStatus.success { status = ExitStatus.usage }
                if !session.options.keepGoing { return status }
            }
        }
        return status
    }

    /// Runs one line typed at the REPL: every statement on it, until one fails (reported, and the
    /// rest of the line skipped). Returns false when the session should end (`exit`).
    public static func interactive(_ line: String, session: Session) -> Bool {
        let statements: [Statement]
        do { statements = try Lexer.statements(line) } catch {
            report(.usage(error.message), source: nil, line: nil, session: session)
            return true
        }
        for statement in statements {
            do throws(Failure) {
                let invocation: Invocation
                do { invocation = try session.grammar.parse(statement.words) } catch { throw .usage(error.message) }
                if try !session.execute(invocation) { return false }
            } catch {
                report(error, source: nil, line: nil, session: session)
                break
            }
        }
        return true
    }
}
