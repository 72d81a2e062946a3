@testable import BallastCLI

/// A session's output kept in memory, as a kernel or an editor bridge would keep it.
final class CapturedOutput: SessionOutput {
    var text = ""
    var errors: [String] = []

    func write(_ text: String) { self.text += text }
    func error(_ line: String) { errors.append(line) }
}

extension Session {
    /// A session that writes plain text into `output` and never starts a daemon.
    static func captured(_ output: CapturedOutput, json: Bool = false, keepGoing: Bool = false) -> Session {
        Session(options: SessionOptions(json: json, keepGoing: keepGoing, connectionFile: "/nonexistent/ballastd.json", noSpawn: true),
                terminal: .plain(), output: output)
    }
}
