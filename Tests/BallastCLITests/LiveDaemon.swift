import BallastClient
import BallastProtocol
import Foundation
@testable import BallastCLI

/// Runs `body` with a session against a private `ballastd` in a fresh folder (passed to `body`),
/// started by the session as the terminal client starts it, and stops the daemon and removes
/// the folder afterwards.
func withLiveSession<T>(json: Bool = false, _ body: (Session, CapturedOutput, String) throws -> T) throws -> T {
    let folder = NSTemporaryDirectory() + "ballast-cli-test-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    let connectionFile = folder + "/ballastd.json"
    let output = CapturedOutput()
    var options = SessionOptions(json: json, connectionFile: connectionFile)
    options.daemonArguments = ["--state-dir", folder + "/state"]
    let session = Session(options: options, terminal: .plain(), output: output)
    defer {
        session.disconnect()
        if let info = DaemonLauncher.liveDaemon(at: connectionFile), let client = try? Client(info) {
            _ = try? client.control(Shutdown.method)
            client.close()
        }
        try? FileManager.default.removeItem(atPath: folder)
    }
    return try body(session, output, folder)
}
