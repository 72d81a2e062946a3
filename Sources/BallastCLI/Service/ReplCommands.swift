import BallastClient
import BallastProtocol
import Foundation
import Synchronization

/// The command session of `repl/execute`: runs the statements of each code in order, as a
/// script does, and answers with one OUTPUT per statement run (protocol/README.md section 11).
/// What the session learns (model → run, the last comparison, `runs next`) carries over to the
/// next execute.
///
/// Sendable by construction, not by the compiler: `execute` runs on one thread at a time (the
/// bridge's serial command queue), which alone touches the session and its output; `cancel`,
/// from any thread, touches only the session's `RequestCanceller` (Sendable).
public final class ReplCommands: @unchecked Sendable {
    let session: Session
    private let collected: CollectedOutput

    public init(options: SessionOptions) {
        collected = CollectedOutput()
        session = Session(options: options, terminal: .plain(), output: collected)
    }

    /// Runs `params.code`. `isCancelled` says whether the editor cancelled this execute (checked
    /// before each statement); `progress` gets each long command's progress value with
    /// `command`, `line` and `text` added; `made` gets each OUTPUT with its index as soon as its
    /// statement has run, before the next starts (the partial results).
    public func execute(_ params: ReplExecuteParams, isCancelled: () -> Bool = { false },
                        progress: ((JSONValue) -> Void)? = nil, made: ((JSONValue, Int) -> Void)? = nil) -> JSONValue {
        session.terminal = .plain(width: params.width)
        session.canceller.disarm()
        _ = collected.take()
        // The daemon's grammar (its vocabulary) from the first statement on, as at the REPL;
        // when no daemon answers, the statements that need one say so.
        try? session.connect()
        var outputs: [JSONValue] = []
        let statements: [Statement]
        do { statements = try Lexer.statements(params.code) } catch {
            Runner.report(.usage(error.message), source: nil, line: nil, session: session)
            outputs.append(output(command: Self.firstWord(ofLine: error.line, in: params.code), line: error.line, method: nil,
                                  text: collected.take(), result: nil, error: ReplErrors.json(error)))
            made?(outputs[0], 0)
            return Self.result(outputs)
        }
        for statement in statements {
            let (output, goOn) = run(statement, index: outputs.count, params, isCancelled: isCancelled, progress: progress)
            if let output {
                made?(output, outputs.count)
                outputs.append(output)
            }
            if !goOn { break }
        }
        return Self.result(outputs)
    }

    /// Runs one statement: its OUTPUT (nil for `exit`), and whether the next may run.
    private func run(_ statement: Statement, index: Int, _ params: ReplExecuteParams, isCancelled: () -> Bool,
                     progress: ((JSONValue) -> Void)?) -> (output: JSONValue?, goOn: Bool) {
        let named = session.grammar.command(statement.words)?.spec
        func failed(_ failure: Failure, command: String? = nil, method: String?, capture: RenderCapture? = nil) -> (JSONValue?, Bool) {
            Runner.report(failure, source: nil, line: nil, session: session)
            return (output(command: command ?? named?.name ?? statement.words[0], line: statement.line, method: method,
                           text: collected.take(), capture: capture, result: nil, error: ReplErrors.json(failure, line: statement.line, departed: session.departed)), false)
        }
        if isCancelled() { return failed(.interrupted("The statement was cancelled before it ran."), method: named?.method) }
        let invocation: Invocation
        do { invocation = try session.grammar.parse(statement.words) } catch { return failed(.usage(error.message), method: named?.method) }
        if invocation.spec.name == "exit" { return (nil, false) }
        let method = Self.method(of: invocation)
        var line = ProgressLine()
        session.onProgress = { [width = params.width] value in
            line.take(value)
            guard let progress, case .object(var members) = value else { return }
            members["command"] = .int(Int64(index))
            members["line"] = .int(Int64(statement.line))
            members["text"] = .string(line.text(value, width: width))
            progress(.object(members))
        }
        // The tables and charts the command draws, recorded as it draws them.
        let capture = RenderCapture()
        let outcome = RenderCapture.$current.withValue(capture) {
            Result { () throws(Failure) -> Bool in try session.execute(invocation) }
        }
        session.onProgress = nil
        if method == ModelTrain.method {
            let name = session.lastResult?["model"]?.stringValue ?? invocation.params["name"]?.stringValue
                ?? line.run.map { "run \($0)" } ?? "training"
            Self.recordTrainingCharts(of: name, line, width: params.width, into: capture)
        }
        switch outcome {
        case .success(let goOn):
            let text = collected.take()
            return (output(command: invocation.spec.name, line: statement.line, method: method, text: text, capture: capture,
                           result: session.lastResult, error: nil), goOn)
        case .failure(let failure):
            return failed(failure, command: invocation.spec.name, method: method, capture: capture)
        }
    }

    /// Cancels the request the running execute waits on, on the daemon's control socket (as
    /// Ctrl-C at the REPL); a second call for the same request stops waiting for it. Returns
    /// false when no request was running: the next request of the execute then does not start
    /// (-32800), and the execute stops before its next statement.
    @discardableResult
    public func cancel() -> Bool {
        guard let target = claimCancel() else { return false }
        Self.sendCancel(to: target)
        return true
    }

    /// The first half of `cancel`, quick and local: claims the request the execute waits on
    /// (nil when none runs: the cancel is kept for its next request). The caller sends it.
    public func claimCancel() -> RequestCanceller.Target? {
        session.canceller.claimOrArm()
    }

    /// The second half of `cancel`: sends `$/cancelRequest` for `target` on the daemon's control
    /// socket (a connection of its own, made and closed here; it may linger a moment).
    public static func sendCancel(to target: RequestCanceller.Target) {
        var control: Client?
        target.sendCancel(reusing: &control)
        control?.close()
    }

    /// The -32013 error (kind "unavailable") a result ends with when the daemon could not be
    /// reached or went away under it; nil for any other result.
    public static func daemonUnavailable(in result: JSONValue) -> RPCError? {
        guard let error = result["outputs"]?.arrayValue?.last?["error"], error["code"]?.intValue == Int64(ErrorCode.shuttingDown),
              error["data"]?["kind"] == "unavailable" else { return nil }
        return RPCError(code: ErrorCode.shuttingDown, message: error["message"]?.stringValue ?? "The daemon is gone.", data: error["data"])
    }

    /// The one OUTPUT of a code that did not run because the daemon is gone (`error`'s code,
    /// message and data, with `line` and `kind: "unavailable"`), at the code's first statement,
    /// its text as the REPL reports a daemon it cannot reach.
    public static func unavailableOutput(code: String, error: RPCError) -> JSONValue {
        let first = (try? Lexer.statements(code))?.first
        let line = first?.line ?? 1
        let command = first.map { Grammar.offline.command($0.words)?.spec.name ?? $0.words[0] } ?? firstWord(ofLine: 1, in: code)
        var data = error.data?.objectValue ?? [:]
        data["line"] = .int(Int64(line))
        data["kind"] = "unavailable"
        return ["command": .string(command), "line": .int(Int64(line)), "method": nil, "text": .string("error: \(error.message)"),
                "html": nil, "charts": [], "result": nil,
                "error": ["code": .int(Int64(ErrorCode.shuttingDown)), "message": .string(error.message), "data": .object(data)]]
    }

    /// The method a statement sends: its command's, the one `call` names, nil for a local command.
    static func method(of invocation: Invocation) -> String? {
        invocation.spec.name == "call" ? invocation.words.first : invocation.spec.method
    }

    /// The training's curves from the progress it reported (the terminal shows them as
    /// sparklines; `plot MODEL` draws them from the run's records later).
    static func recordTrainingCharts(of model: String, _ progress: ProgressLine, width: Int, into capture: RenderCapture) {
        guard progress.lossByStep.count > 1 else { return }
        let plots = Charts.trainingPlots(title: model, loss: progress.lossByStep, validation: progress.validationByStep,
                                         width: Charts.width(forTerminal: width))
        for plot in plots { capture.record(plot) }
    }

    /// One OUTPUT (protocol/README.md section 11).
    private func output(command: String, line: Int, method: String?, text: String, capture: RenderCapture? = nil,
                        result: JSONValue?, error: JSONValue?) -> JSONValue {
        let charts = (capture?.charts ?? []).map { chart -> JSONValue in ["title": .string(chart.title), "svg": .string(chart.svg)] }
        var members: [String: JSONValue] = [
            "command": .string(command), "line": .int(Int64(line)), "method": method.map(JSONValue.string) ?? .null,
            "text": .string(text), "html": capture?.html(for: text).map(JSONValue.string) ?? .null,
            "charts": .array(charts), "result": result ?? .null,
        ]
        if let error { members["error"] = error }
        return .object(members)
    }

    /// `{outputs, status}`: "cancelled" when the last output's error is -32800, "error" when it
    /// has another, "ok" otherwise.
    static func result(_ outputs: [JSONValue]) -> JSONValue {
        let code = outputs.last?["error"]?["code"]?.intValue
        let status = code == nil ? "ok" : code == Int64(ErrorCode.requestCancelled) ? "cancelled" : "error"
        return ["outputs": .array(outputs), "status": .string(status)]
    }

    /// The first word on `line` (1-based) of `code`: the command of a statement the lexer could not split.
    static func firstWord(ofLine line: Int, in code: String) -> String {
        let lines = code.split(separator: "\n", omittingEmptySubsequences: false)
        guard line >= 1, line <= lines.count else { return "" }
        return lines[line - 1].split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == ";" }).first.map(String.init) ?? ""
    }
}
