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
        for file in files where try !Self.isStdio(file) {
            try replay(file)
        }
    }

    /// An example spoken to `ballast --stdio` (`"transport": "stdio"`, section 11) rather than to
    /// the daemon's sockets: ReplBridgeGoldenTests replays it through a real bridge.
    static func isStdio(_ file: URL) throws -> Bool {
        try JSONParser.parse(Data(contentsOf: file))["transport"]?.stringValue == "stdio"
    }

    private func replay(_ file: URL) throws {
        let name = file.lastPathComponent
        let example = try JSONParser.parse(Data(contentsOf: file))
        let onControl = example["socket"]?.stringValue == "control"
        let daemon = try TestDaemon()
        let client = try daemon.client(initialize: example["initialize"]?.boolValue ?? !onControl)
        for (index, exchange) in (example["exchanges"]?.arrayValue ?? []).enumerated() {
            let label = "\(name) exchange \(index)"
            // Buffers (section 9, since 1.6) go out after the payload, signed with it.
            let buffers = try (exchange["buffers"]?.arrayValue ?? []).map { encoded in
                try XCTUnwrap(encoded.stringValue.flatMap { Data(base64Encoded: $0) }, "\(label): a buffer that is not base64")
            }
            if let raw = exchange["send_raw"]?.stringValue {
                try client.sendRaw(Array(raw.utf8), buffers: buffers, control: onControl)
            } else {
                try client.sendRaw(JSONWriter.data(try XCTUnwrap(exchange["send"], label)), buffers: buffers, control: onControl)
            }
            let timeout = exchange["expect"] == nil ? 0.2 : 10.0
            let reply = onControl ? try client.receiveMessage(timeout: timeout, control: true).map { ($0, [Data]()) }
                : try client.receiveMessageWithBuffers(timeout: timeout)
            guard let expected = exchange["expect"] else {
                XCTAssertNil(reply, "\(label): expected no reply")
                continue
            }
            let (actual, actualBuffers) = try XCTUnwrap(reply, "\(label): no reply")
            XCTAssertNil(ExampleMatcher.mismatch(expected: expected, actual: actual), label)
            XCTAssertNil(Self.bufferMismatch(expected: exchange["expect_buffers"]?.arrayValue ?? [], actual: actualBuffers), label)
        }
    }

    /// Why the reply's buffers differ from `expect_buffers` (base64 each, or `$any`); nil when they match.
    static func bufferMismatch(expected: [JSONValue], actual: [Data]) -> String? {
        guard expected.count == actual.count else {
            return "expected \(expected.count) buffer(s), the reply carried \(actual.count)"
        }
        for (index, (want, got)) in zip(expected, actual).enumerated() where want != "$any" {
            guard let bytes = want.stringValue.flatMap({ Data(base64Encoded: $0) }) else {
                return "expect_buffers[\(index)] is neither base64 nor $any"
            }
            if bytes != got { return "buffer \(index) is \(got.base64EncodedString()), expected \(bytes.base64EncodedString())" }
        }
        return nil
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
        XCTAssertNil(Self.bufferMismatch(expected: ["AQI=", "$any"], actual: [Data([1, 2]), Data([9])]))
        XCTAssertNotNil(Self.bufferMismatch(expected: ["AQI="], actual: [Data([1, 3])]))
        XCTAssertNotNil(Self.bufferMismatch(expected: [], actual: [Data()]), "a reply with buffers nobody expected")
        XCTAssertNotNil(Self.bufferMismatch(expected: ["$any"], actual: []))
    }
}
