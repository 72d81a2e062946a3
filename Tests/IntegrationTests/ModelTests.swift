import BallastClient
import BallastProtocol
import Foundation
import XCTest
@testable import BallastServer

/// Using trained models through a real daemon: evaluate, predict, describe, save and load.
final class ModelTests: XCTestCase {
    private var folder: String!

    override func setUpWithError() throws {
        folder = NSTemporaryDirectory() + "ballast-models-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: folder)
    }

    private func trained(_ daemon: TestDaemon) throws -> Client {
        let client = try daemon.client()
        try client.prepareCards(rows: 40_000)
        _ = try client.call("model/train", params: ["dataset": "cards.train", "validation": "cards.validation", "name": "m",
                                                    "loss": ["type": "wce"], "threshold": "best_f1"])
        return client
    }

    func testEvaluateUsesTheTrainedThresholdAndReturnsCurves() throws {
        let daemon = try TestDaemon()
        let client = try trained(daemon)
        defer { withExtendedLifetime(daemon) {} }
        let stored = try XCTUnwrap(try client.call("model/describe", params: ["model": "m"])["model"]?["threshold"]?.doubleValue)
        XCTAssertNotEqual(stored, 0.5, "best_f1 was tuned on validation")
        let report = try client.call("model/evaluate", params: ["model": "m", "dataset": "cards.test"])
        XCTAssertEqual(report["threshold"]?.doubleValue, stored)
        let pr = try XCTUnwrap(report["curves"]?["pr"]?.arrayValue)
        XCTAssertLessThanOrEqual(pr.count, 200)
        XCTAssertGreaterThan(pr.count, 10)
        // best_f1 without validation data reuses the threshold tuned at training; for a model
        // whose threshold was never tuned it is refused, never a quiet 0.5.
        let tuned = try client.call("model/evaluate", params: ["model": "m", "dataset": "cards.test", "threshold": "best_f1", "curves": false])
        XCTAssertEqual(tuned["threshold"]?.doubleValue, stored)
        _ = try client.call("model/train", params: ["dataset": "cards.train", "name": "plain"])
        let untuned = client.rpcError("model/evaluate", ["model": "plain", "dataset": "cards.test", "threshold": "best_f1"])
        XCTAssertEqual(untuned?.data?["field"], "threshold")
        XCTAssertTrue(untuned?.message.contains("not tuned at training") ?? false, untuned?.message ?? "")
        let half = try client.call("model/evaluate", params: ["model": "m", "dataset": "cards.test", "threshold": 0.5, "curves": false])
        XCTAssertEqual(half["threshold"], 0.5)
        XCTAssertNil(half["curves"])
        XCTAssertGreaterThanOrEqual(try XCTUnwrap(half["positive"]?["recall"]?.doubleValue),
                                    try XCTUnwrap(report["positive"]?["recall"]?.doubleValue),
                                    "a lower threshold never finds fewer positives")
        let corrected = try client.call("model/evaluate", params: ["model": "m", "dataset": "cards.test", "prior_correction": true, "curves": false])
        XCTAssertLessThan(try XCTUnwrap(corrected["brier"]?.doubleValue), try XCTUnwrap(report["brier"]?.doubleValue),
                          "undoing the weights' shift brings probabilities back toward the true rates")
    }

    func testPredictFromRowsMatchesPredictFromTheDatasetAndChecksShapes() throws {
        let daemon = try TestDaemon()
        let client = try trained(daemon)
        let all = try client.call("model/predict", params: ["model": "m", "dataset": "cards.test"])
        let probabilities = try XCTUnwrap(all["probabilities"]?.arrayValue)
        XCTAssertEqual(probabilities.count, try daemon.server.workspace.dataset("cards.test").rowCount)
        let test = try daemon.server.workspace.dataset("cards.test")
        var firstRows: [JSONValue] = []
        for row in 0..<3 {
            let values = test.features[(row * test.featureCount)..<((row + 1) * test.featureCount)]
            firstRows.append(.array(values.map { JSONValue.double(Double($0)) }))
        }
        let inline = try client.call("model/predict", params: ["model": "m", "rows": .array(firstRows)])
        for row in 0..<3 {
            let a = try XCTUnwrap(inline["probabilities"]?.arrayValue?[row].arrayValue?[1].doubleValue)
            let b = try XCTUnwrap(probabilities[row].arrayValue?[1].doubleValue)
            XCTAssertEqual(a, b, accuracy: 1e-6)
        }
        XCTAssertEqual(inline["classes"], ["0", "1"])
        let short = client.rpcError("model/predict", ["model": "m", "rows": [[1, 2, 3]]])
        XCTAssertEqual(short?.code, ErrorCode.invalidParams)
        XCTAssertEqual(short?.data?["field"], "rows[0]")
        _ = try client.call("dataset/generate", params: ["name": "narrow", "rows": 100, "features": 5])
        let mismatch = client.rpcError("model/evaluate", ["model": "m", "dataset": "narrow"])
        XCTAssertEqual(mismatch?.data?["field"], "dataset")
        XCTAssertEqual(mismatch?.message,
                       "The data's columns differ from the ones it must match: it lacks 'Time', 'V1', 'V2', 'V3', 'V4', 'V5', 'V6', 'V7', 'V8', 'V9' and 20 more and it has 'x1', 'x2', 'x3', 'x4', 'x5' besides.")
        XCTAssertEqual(client.rpcError("model/predict", ["model": "m"])?.code, ErrorCode.invalidParams)
        XCTAssertEqual(client.rpcError("model/evaluate", ["model": "nope", "dataset": "cards.test"])?.code, ErrorCode.notFound)
    }

    func testSaveAndLoadRoundTripAndRefuseForeignFiles() throws {
        let folder = folder!
        let daemon = try TestDaemon { $0.writeRoots.append(folder) }
        let client = try trained(daemon)
        let path = folder + "/m.json"
        let saved = try client.call("model/save", params: ["model": "m", "path": .string(path)])
        XCTAssertEqual(saved["path"], .string(path))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder), ["m.json"], "no temporary file left")
        _ = try client.call("model/load", params: ["path": .string(path), "name": "copy", "dataset": "cards.test"])
        let original = try client.call("model/predict", params: ["model": "m", "dataset": "cards.test"])
        let copy = try client.call("model/predict", params: ["model": "copy", "dataset": "cards.test"])
        XCTAssertEqual(original, copy, "a saved model predicts exactly as before")

        var file = try JSONParser.parse(Data(contentsOf: URL(fileURLWithPath: path))).objectValue!
        file["version"] = 99
        try Data(JSONWriter.data(.object(file))).write(to: URL(fileURLWithPath: folder + "/future.json"))
        let future = client.rpcError("model/load", ["path": .string(folder + "/future.json")])
        XCTAssertEqual(future?.code, ErrorCode.invalidData)
        XCTAssertTrue(future?.message.contains("version 99") ?? false, future?.message ?? "")
        try Data("{\"format\": \"something-else\"}".utf8).write(to: URL(fileURLWithPath: folder + "/other.json"))
        XCTAssertEqual(client.rpcError("model/load", ["path": .string(folder + "/other.json")])?.code, ErrorCode.invalidData)
        XCTAssertEqual(client.rpcError("model/load", ["path": .string(folder + "/missing.json")])?.code, ErrorCode.notFound)
        _ = try client.call("dataset/generate", params: ["name": "narrow", "rows": 100, "features": 5])
        let narrow = client.rpcError("model/load", ["path": .string(path), "dataset": "narrow"])
        XCTAssertEqual(narrow?.code, ErrorCode.invalidParams)
        XCTAssertEqual(narrow?.data?["field"], "dataset")
        XCTAssertTrue(narrow?.message.contains("it has 'x1', 'x2', 'x3', 'x4', 'x5' besides") ?? false, narrow?.message ?? "")
    }

    func testDescribeGivesCoefficientsAndTheConfig() throws {
        let daemon = try TestDaemon()
        let client = try trained(daemon)
        defer { withExtendedLifetime(daemon) {} }
        let described = try client.call("model/describe", params: ["model": "m"])
        XCTAssertEqual(described["parameters"]?["coef"]?.arrayValue?.count, 30)
        XCTAssertNotNil(described["parameters"]?["intercept"]?.doubleValue)
        XCTAssertEqual(described["model"]?["loss"], "wce")
        XCTAssertEqual(described["model"]?["trained_on"], "cards.train")
        XCTAssertEqual(described["feature_names"]?.arrayValue?.first, "Time")
        XCTAssertEqual(try client.call("model/drop", params: ["model": "m"])["dropped"], "m")
        XCTAssertEqual(client.rpcError("model/describe", ["model": "m"])?.code, ErrorCode.notFound)
    }
}
