import BallastClient
import BallastProtocol
import Foundation
import XCTest

/// Only the params a method declares as buffer fields are buffer references (protocol/README.md
/// section 1); anywhere else `{"buffer": …}` is plain JSON, as it was in 1.5: a column or a class
/// may be named `buffer`. Through a real daemon.
final class BufferLookalikeTests: XCTestCase {
    private var folder: String!

    override func setUpWithError() throws {
        folder = NSTemporaryDirectory() + "ballast-lookalike-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: folder)
    }

    /// A CSV of 60 rows with the columns `first`, `second` and `label`, one row in six of class `rare`.
    private func load(_ client: Client, _ name: String, first: String, second: String, rare: String, common: String) throws {
        var text = "\(first),\(second),label\n"
        for row in 0..<60 {
            let isRare = row % 6 == 0
            text += "\(Double(row % 7) + (isRare ? 3 : 0)),\(Double(row % 5) - (isRare ? 2 : 0)),\(isRare ? rare : common)\n"
        }
        let path = folder + "/\(name).csv"
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        _ = try client.call("dataset/load", params: ["path": .string(path), "name": .string(name)])
    }

    func testARowWhoseColumnIsNamedBufferIsARowNotAReference() throws {
        let daemon = try TestDaemon()
        let client = try daemon.client()
        try load(client, "stock", first: "buffer", second: "size", rare: "short", common: "ok")
        _ = try client.call("model/train", params: ["dataset": "stock", "name": "m"])
        let byArray = try client.call("model/predict", params: ["model": "m", "rows": [[1, 2], [3, 0]]])
        let byObject = try client.call("model/predict", params: ["model": "m", "rows": [["buffer": 1, "size": 2], ["size": 0, "buffer": 3]]])
        XCTAssertNotNil(byArray["probabilities"])
        XCTAssertEqual(byObject["probabilities"], byArray["probabilities"], "the rows given by column name are the same rows")

        // A buffer sent with such rows is still refused: nothing refers to it.
        let sent = try XCTUnwrap(client.rpcError("model/predict", ["model": "m", "rows": [["buffer": 0, "size": 2]]], buffers: [Data(count: 4)]))
        XCTAssertEqual(sent.code, ErrorCode.invalidParams, sent.message)
        XCTAssertEqual(sent.data?["field"], "buffers")
        XCTAssertEqual(sent.data?["buffer"], 0)
    }

    func testAClassNamedBufferIsAClassInWeightsTrainingAndTheModelFile() throws {
        let daemon = try TestDaemon()
        let client = try daemon.client()
        try load(client, "parts", first: "a", second: "b", rare: "buffer", common: "rest")
        let custom: JSONValue = ["scheme": "custom", "weights": ["buffer": 4, "rest": 1]]
        let computed = try client.call("weights/compute", params: ["dataset": "parts", "scheme": "custom", "weights": ["buffer": 4, "rest": 1]])
        let weightOf = Dictionary(uniqueKeysWithValues: (computed["classes"]?.arrayValue ?? []).compactMap { entry in
            entry["label"]?.stringValue.map { ($0, entry["weight"]?.doubleValue) }
        })
        XCTAssertEqual(weightOf.keys.sorted(), ["buffer", "rest"], "\(computed)")
        let ratio = try XCTUnwrap(weightOf["buffer"] ?? nil) / XCTUnwrap(weightOf["rest"] ?? nil)
        XCTAssertEqual(ratio, 4, accuracy: 1e-9, "the weights given for 'buffer' and 'rest', however normalized")

        _ = try client.call("model/train", params: ["dataset": "parts", "name": "w", "loss": ["type": "wce", "weights": custom]])
        let run = try XCTUnwrap(client.call("run/list")["runs"]?.arrayValue?.first?["run"])
        XCTAssertEqual(try client.call("run/describe", params: ["run": run])["params"]?["loss"]?["weights"], custom, "the run keeps its params as sent")

        // A model file object holds `{"buffer": …}` where a newer writer adds a member this
        // daemon does not know (ignored, like any unknown member of a model file).
        var file = try XCTUnwrap(client.call("model/save", params: ["model": "w"])["file"]?.objectValue)
        file["notes"] = ["buffer": 1]
        XCTAssertEqual(try client.call("model/load", params: ["file": .object(file), "name": "w.copy"])["name"], "w.copy")
    }
}
