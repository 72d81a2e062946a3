import BallastClient
import BallastProtocol
import Foundation
import XCTest

/// `model/train`'s `keep`, and what `model/predict` adds in 1.6 (`prior_correction`, `truth`),
/// through a real daemon.
final class ModelKeepAndPredictTests: XCTestCase {
    private var folder: String!

    override func setUpWithError() throws {
        folder = NSTemporaryDirectory() + "ballast-model-keep-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: folder)
    }

    private func modelNames(_ client: Client) throws -> [String] {
        try client.call("model/list")["models"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? []
    }

    func testAModelNotKeptIsGoneAfterARestartWhileAKeptOneComesBack() throws {
        let state = folder + "/state"
        do {
            let daemon = try TestDaemon(stateDirectory: state)
            let client = try daemon.client()
            _ = try client.call("dataset/generate", params: ["preset": "fraud", "rows": 2_000, "name": "cards", "seed": 1])
            _ = try client.call("model/train", params: ["dataset": "cards", "name": "kept"])
            let scratch = try client.call("model/train", params: ["dataset": "cards", "name": "scratch", "keep": false])
            // A kept model replaced by one not kept: the old one must not come back in its place.
            _ = try client.call("model/train", params: ["dataset": "cards", "name": "replaced"])
            _ = try client.call("model/train", params: ["dataset": "cards", "name": "replaced", "keep": false, "l2": 0.5])
            XCTAssertEqual(try modelNames(client), ["kept", "replaced", "scratch"], "a model not kept is used like any other meanwhile")
            let run = try XCTUnwrap(scratch["run"]?.stringValue)
            XCTAssertEqual(try client.call("run/describe", params: ["run": .string(run)])["params"]?["keep"], false,
                           "the run keeps its params as sent")
            XCTAssertEqual(daemon.stop(), 0)
        }
        let daemon = try TestDaemon(stateDirectory: state)
        let client = try daemon.client()
        XCTAssertEqual(try modelNames(client), ["kept"])
        XCTAssertNil(try client.call("model/list")["unavailable"], "a model not kept is not reported as lost")
        let error = try XCTUnwrap(client.rpcError("model/describe", ["model": "scratch"]))
        XCTAssertEqual(error.code, ErrorCode.notFound)
    }

    /// `prior_correction` undoes the class weights' shift exactly as `model/evaluate` does: the
    /// probabilities follow pₖ ∝ p̃ₖ / wₖ, and the labels they give against `truth` make the
    /// confusion matrix `model/evaluate` reports with `prior_correction: true`.
    func testPriorCorrectionAndTruthAgreeWithModelEvaluate() throws {
        let daemon = try TestDaemon()
        let client = try daemon.client()
        try client.prepareCards(rows: 4_000)
        _ = try client.call("model/train", params: ["dataset": "cards.train", "name": "m", "loss": ["type": "wce"], "threshold": 0.5])
        let weights = try XCTUnwrap(client.call("model/describe", params: ["model": "m"])["config"]?["class_weights"]?.arrayValue)
            .compactMap(\.doubleValue)
        XCTAssertEqual(weights.count, 2)
        XCTAssertNotEqual(weights[0], weights[1], "a weighted model, so the correction changes something")

        let plain = try client.call("model/predict", params: ["model": "m", "dataset": "cards.test"])
        let corrected = try client.call("model/predict", params: ["model": "m", "dataset": "cards.test", "prior_correction": true])
        let raw = try probabilities(plain), fixed = try probabilities(corrected)
        XCTAssertEqual(raw.count, fixed.count)
        for (p, q) in zip(raw, fixed) {
            let scaled = zip(p, weights).map { $0 / $1 }
            let total = scaled.reduce(0, +)
            for (expected, got) in zip(scaled.map { $0 / total }, q) {
                // Float32 probabilities, corrected in Double and rounded: a few ulps.
                XCTAssertEqual(got, expected, accuracy: 1e-6 + 1e-5 * expected)
            }
        }

        let truth = try XCTUnwrap(corrected["truth"]?.arrayValue?.compactMap(\.stringValue))
        XCTAssertEqual(truth.count, raw.count)
        let classes = try XCTUnwrap(corrected["classes"]?.arrayValue?.compactMap(\.stringValue))
        let labels = try XCTUnwrap(corrected["labels"]?.arrayValue?.compactMap(\.stringValue))
        var confusion = Array(repeating: Array(repeating: Int64(0), count: classes.count), count: classes.count)
        for (actual, predicted) in zip(truth, labels) {
            confusion[try XCTUnwrap(classes.firstIndex(of: actual))][try XCTUnwrap(classes.firstIndex(of: predicted))] += 1
        }
        let evaluated = try client.call("model/evaluate", params: ["model": "m", "dataset": "cards.test", "prior_correction": true,
                                                                   "curves": false])
        XCTAssertEqual(evaluated["confusion"], .array(confusion.map { .array($0.map { .int($0) }) }))
        XCTAssertNotEqual(plain["labels"], corrected["labels"], "the correction moved some rows across the threshold")

        let head3 = try XCTUnwrap(client.call("dataset/head", params: ["dataset": "cards.test", "rows": 3])["rows"]?.arrayValue)
        XCTAssertEqual(head3.compactMap { $0["label"]?.stringValue }, Array(truth.prefix(3)), "truth is each row's own label")
        let rows: JSONValue = .array(head3.compactMap { $0["values"] })
        let inline = try client.call("model/predict", params: ["model": "m", "rows": rows, "prior_correction": true])
        XCTAssertNil(inline["truth"], "rows given inline have no labels")
        for (got, expected) in zip(try probabilities(inline), fixed.prefix(3)) {
            XCTAssertEqual(got.count, expected.count)
            for (a, b) in zip(got, expected) { XCTAssertEqual(a, b, accuracy: 1e-6, "the same correction for rows given inline") }
        }
    }

    private func probabilities(_ result: JSONValue) throws -> [[Double]] {
        try XCTUnwrap(result["probabilities"]?.arrayValue).map { try XCTUnwrap($0.arrayValue).compactMap(\.doubleValue) }
    }
}
