import BallastCLI
import BallastProtocol
import Foundation

/// The interactive loop: libedit line editing, history, completion; Ctrl-C cancels a running
/// request (the loop lives on); Ctrl-D or `exit` leaves. The commands themselves run in the
/// session (BallastCLI), as they do for scripts.
final class REPL {
    let session: Session

    init(session: Session) { self.session = session }

    func run() -> Int32 {
        do { try session.connect() } catch {
            Runner.report(error, source: nil, line: nil, session: session)
            return error.exitCode
        }
        let editor = LineEditor(historyPath: LineEditor.defaultHistoryPath) { [session] line, word in
            Completion.candidates(line: line, word: word, session: session)
        }
        // Ctrl-C at the prompt wakes the line editor, which drops the line being typed.
        var wake: [Int32] = [0, 0]
        _ = pipe(&wake)
        let wakeWrite = wake[1]
        Interrupts.shared.whenIdle {
            var byte: UInt8 = 1
            _ = write(wakeWrite, &byte, 1)
        }
        session.output.write("Ballast \(ProtocolVersion.serverVersion): 'help' lists the commands, Tab completes, Ctrl-C cancels a training, Ctrl-D leaves.\n")
        while true {
            guard let line = editor.read(prompt: "ballast> ", wake: wake[0]) else {
                session.output.write("\n")
                return ExitStatus.success
            }
            if !Runner.interactive(line, session: session) { return ExitStatus.success }
        }
    }
}
