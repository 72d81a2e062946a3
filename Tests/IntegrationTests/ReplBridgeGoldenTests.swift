import BallastProtocol
import Foundation
import XCTest

/// Replays the `"transport": "stdio"` examples of protocol/examples (section 11) through a real
/// `ballast --stdio` on a fresh daemon: each `send` as one line, the reply with its id matched
/// by section 9's rules, notifications in between skipped.
final class ReplBridgeGoldenTests: XCTestCase {
    func testEveryStdioExampleRoundTrips() throws {
        let files = try GoldenExampleTests.exampleFiles.filter { try GoldenExampleTests.isStdio($0) }
        XCTAssertTrue(files.contains { $0.lastPathComponent == "repl.json" }, "the repl examples were found")
        for file in files {
            let name = file.lastPathComponent
            let example = try JSONParser.parse(Data(contentsOf: file))
            let daemon = try TestDaemon()
            let bridge = try ReplBridgeProcess(connectionFile: daemon.connectionFile)
            for (index, exchange) in (example["exchanges"]?.arrayValue ?? []).enumerated() {
                let label = "\(name) exchange \(index)"
                let sent = try XCTUnwrap(exchange["send"], label)
                bridge.send(sent)
                guard let expected = exchange["expect"] else { continue }
                let (reply, _) = bridge.reply(to: try XCTUnwrap(sent["id"], "\(label): a send with expect needs an id"))
                let actual = try XCTUnwrap(reply, "\(label): no reply; stderr: \(bridge.standardError)")
                XCTAssertNil(ExampleMatcher.mismatch(expected: expected, actual: actual), "\(label): \(JSONWriter.string(actual))")
            }
            XCTAssertEqual(bridge.finish(), 0, "\(name): the bridge exits 0 at the end of its input")
        }
    }
}
