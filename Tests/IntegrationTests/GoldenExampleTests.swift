import BallastClient
import BallastProtocol
import Foundation
import XCTest

/// Replays every conversation in protocol/examples against a fresh daemon, as every client's
/// tests do, so the written protocol and the daemon cannot drift apart.
final class GoldenExampleTests: XCTestCase {
    static var exampleFiles: [URL] {
        let folder = BuiltProducts.repositoryRoot.appendingPathComponent("protocol/examples")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.hasSuffix(".json") && $0 != "signing.json" }.sorted().map { folder.appendingPathComponent($0) }
    }

    func testEveryExampleRoundTrips() throws {
        let files = Self.exampleFiles
        XCTAssertGreaterThanOrEqual(files.count, 5, "the examples folder was found")
        for file in files {
            try replay(file)
        }
    }

    private func replay(_ file: URL) throws {
        let name = file.lastPathComponent
        let example = try JSONParser.parse(Data(contentsOf: file))
        let onControl = example["socket"]?.stringValue == "control"
        let daemon = try TestDaemon()
        let client = try daemon.client(initialize: example["initialize"]?.boolValue ?? !onControl)
        for (index, exchange) in (example["exchanges"]?.arrayValue ?? []).enumerated() {
            let label = "\(name) exchange \(index)"
            if let raw = exchange["send_raw"]?.stringValue {
                try client.sendRaw(Array(raw.utf8), control: onControl)
            } else {
                try client.sendRaw(JSONWriter.data(try XCTUnwrap(exchange["send"], label)), control: onControl)
            }
            let reply = try client.receiveMessage(timeout: exchange["expect"] == nil ? 0.2 : 10, control: onControl)
            guard let expected = exchange["expect"] else {
                XCTAssertNil(reply, "\(label): expected no reply")
                continue
            }
            let actual = try XCTUnwrap(reply, "\(label): no reply")
            XCTAssertNil(ExampleMatcher.mismatch(expected: expected, actual: actual), label)
        }
    }

    func testMatcherCatchesMismatches() {
        XCTAssertNil(ExampleMatcher.mismatch(expected: ["a": "$number", "b": [1, "$string"]], actual: ["a": 2.5, "b": [1.0, "x"]]))
        XCTAssertNotNil(ExampleMatcher.mismatch(expected: ["a": "$integer"], actual: ["a": 2.5]))
        XCTAssertNotNil(ExampleMatcher.mismatch(expected: ["a": 1], actual: ["a": 1, "extra": true]))
        XCTAssertNotNil(ExampleMatcher.mismatch(expected: [1, 2], actual: [1]))
        XCTAssertNotNil(ExampleMatcher.mismatch(expected: "x", actual: "y"))
        XCTAssertNil(ExampleMatcher.mismatch(expected: 0.1, actual: 0.09999999999999999))
        XCTAssertNotNil(ExampleMatcher.mismatch(expected: 0.1, actual: 0.1000001))
        XCTAssertNotNil(ExampleMatcher.mismatch(expected: "$/progress", actual: "anything"), "only the listed words are matchers")
    }
}
