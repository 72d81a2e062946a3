import BallastClient
import BallastProtocol
import BallastTransport
import Foundation
import XCTest

/// `model/train`'s `sample_weight` and `model/predict`'s binary input, through a real daemon:
/// integer weights are rows repeated, weights all 1 are no weights, and a matrix sent as a buffer
/// gives the probabilities its rows give as JSON.
final class ModelBuffersTests: XCTestCase {
    private var folder: String!

    override func setUpWithError() throws {
        folder = NSTemporaryDirectory() + "ballast-model-buffers-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: folder)
    }

    /// Every row of a dataset (at most 1,000) as `dataset/head` gives it: its values and its label.
    private func rows(_ client: Client, _ dataset: String) throws -> [(values: [Double], label: String)] {
        let head = try XCTUnwrap(client.call("dataset/head", params: ["dataset": .string(dataset), "rows": 1_000])["rows"]?.arrayValue)
        return try head.map { row in
            (try XCTUnwrap(row["values"]?.arrayValue).compactMap(\.doubleValue), try XCTUnwrap(row["label"]?.stringValue))
        }
    }

    /// Writes `rows` as a CSV file (each value the shortest decimal of its float32, so it reads
    /// back as the same number) and loads it as `name`.
    private func load(_ client: Client, _ rows: [(values: [Double], label: String)], features: [String], as name: String) throws {
        var text = (features + ["label"]).joined(separator: ",") + "\n"
        for row in rows { text += row.values.map { "\(Float($0))" }.joined(separator: ",") + ",\(row.label)\n" }
        let path = folder + "/\(name).csv"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        _ = try client.call("dataset/load", params: ["path": .string(path), "name": .string(name), "label": "label", "positive": "1"])
    }

    private func parameters(_ client: Client, _ model: String) throws -> [Double] {
        let described = try client.call("model/describe", params: ["model": .string(model)])["parameters"]
        let coef = try XCTUnwrap(described?["coef"]?.arrayValue).compactMap(\.doubleValue)
        return coef + [try XCTUnwrap(described?["intercept"]?.doubleValue)]
    }

    private func weightBuffer(_ weights: [Float]) -> Data { LittleEndianArrays.data(weights) }

    func testIntegerSampleWeightsGiveTheModelOfRepeatedRowsAndWeightsOfOneGiveNoWeights() throws {
        let daemon = try TestDaemon()
        let client = try daemon.client()
        _ = try client.call("dataset/generate", params: ["name": "g", "rows": 600, "features": 4, "positive_rate": 0.2, "seed": 5])
        let original = try rows(client, "g")
        let features = ["x1", "x2", "x3", "x4"]
        try load(client, original, features: features, as: "once")
        // 0 to 3 copies of each row, by a fixed pattern that keeps both classes.
        let counts = original.indices.map { Float(($0 * 7 + 3) % 4) }
        var repeated: [(values: [Double], label: String)] = []
        for (row, count) in zip(original, counts) { repeated += Array(repeating: row, count: Int(count)) }
        try load(client, repeated, features: features, as: "repeated")

        // Full-batch L-BFGS to a tight tolerance, at the default l2 (1/Σsᵢ, which the weights enter).
        let optimizer: JSONValue = ["type": "lbfgs", "tol": 1e-9, "max_iter": 5_000]
        _ = try client.call("model/train", params: ["dataset": "repeated", "name": "by_rows", "optimizer": optimizer])
        _ = try client.call("model/train", params: ["dataset": "once", "name": "by_weights", "optimizer": optimizer,
                                                    "sample_weight": ["buffer": 0]],
                            buffers: [weightBuffer(counts)])
        let byRows = try parameters(client, "by_rows"), byWeights = try parameters(client, "by_weights")
        XCTAssertEqual(byRows.count, 5)
        // The same problem summed in another order, each fit stopping within 1e-9 of a zero
        // gradient: agreement to 1e-6 relative (measured: 7e-8, one float32 ulp) is what float32 sums allow, and far tighter than
        // what another l2 or a dropped row would give (checked below).
        for (a, b) in zip(byRows, byWeights) { XCTAssertEqual(a, b, accuracy: 1e-6 * max(1, abs(a))) }
        _ = try client.call("model/train", params: ["dataset": "once", "name": "unweighted", "optimizer": optimizer])
        let unweighted = try parameters(client, "unweighted")
        XCTAssertGreaterThan(zip(byRows, unweighted).map { abs($0 - $1) }.max() ?? 0, 1e-3, "the weights change the model")

        _ = try client.call("model/train", params: ["dataset": "once", "name": "ones", "optimizer": optimizer,
                                                    "sample_weight": ["buffer": 0]],
                            buffers: [weightBuffer(Array(repeating: 1, count: original.count))])
        XCTAssertEqual(try parameters(client, "ones"), unweighted, "weights all 1 are no weights, to the bit")
        let described = try client.call("run/describe", params: ["run": try XCTUnwrap(
            client.call("model/describe", params: ["model": "ones"])["model"]?["run"])])
        XCTAssertEqual(described["params"]?["sample_weight"], ["buffer": 0], "the run keeps its params as sent")
    }

    func testSampleWeightsTheEngineCannotUseAreRefusedNamingTheField() throws {
        let daemon = try TestDaemon()
        let client = try daemon.client()
        _ = try client.call("dataset/generate", params: ["name": "g", "rows": 10, "features": 2, "positive_rate": 0.3, "seed": 1])
        func refusal(_ weights: [Float]) throws -> RPCError {
            let error = try XCTUnwrap(client.rpcError("model/train", ["dataset": "g", "name": "m", "sample_weight": ["buffer": 0]],
                                                      buffers: [weightBuffer(weights)]), "\(weights)")
            XCTAssertEqual(error.code, ErrorCode.invalidParams, error.message)
            XCTAssertEqual(error.data?["field"], "sample_weight", error.message)
            return error
        }
        let short = try refusal(Array(repeating: 1, count: 9))
        XCTAssertEqual(short.data?["expected_bytes"], 40)
        XCTAssertEqual(short.data?["actual_bytes"], 36)
        var weights = [Float](repeating: 1, count: 10)
        weights[3] = .nan
        XCTAssertEqual(try refusal(weights).data?["row"], 3)
        weights[3] = 1
        weights[7] = -0.5
        let negative = try refusal(weights)
        XCTAssertEqual(negative.data?["row"], 7)
        XCTAssertEqual(negative.message, "Sample weights must be finite and at least 0; row 7 has -0.5.")
        XCTAssertEqual(try refusal(Array(repeating: 0, count: 10)).message, "The sample weights are all 0, so there is nothing to learn from.")
        XCTAssertEqual(try client.call("model/list")["models"], [], "nothing refused was stored")
        XCTAssertEqual(try client.call("run/list", params: ["method": "model/train"])["runs"], [], "nor recorded as a run")
    }

    /// The binary answer: probabilities as float32 `[rows, classes]` and class indices as int32 `[rows]`.
    private func binaryPredict(_ client: Client, _ params: JSONValue, matrix: [Float]) throws -> (result: JSONValue, probabilities: [[Double]], labels: [Int32]) {
        let reply = try client.callWithBuffers("model/predict", params: params, buffers: [LittleEndianArrays.data(matrix)])
        let result = reply.result
        XCTAssertEqual(reply.buffers.count, 2)
        let shape = try XCTUnwrap(result["probabilities"]?["shape"]?.arrayValue).compactMap(\.intValue)
        XCTAssertEqual(result["probabilities"]?["buffer"], 0)
        XCTAssertEqual(result["probabilities"]?["dtype"], "float32")
        XCTAssertEqual(result["labels"], ["buffer": 1, "dtype": "int32", "shape": [.int(shape[0])]])
        let flat = LittleEndianArrays.floats(reply.buffers[0])
        XCTAssertEqual(flat.count, Int(shape[0] * shape[1]))
        let table = stride(from: 0, to: flat.count, by: Int(shape[1])).map { flat[$0..<($0 + Int(shape[1]))].map(Double.init) }
        return (result, table, LittleEndianArrays.int32s(reply.buffers[1]))
    }

    func testABinaryMatrixGivesTheProbabilitiesOfTheSameRowsAsJSON() throws {
        let daemon = try TestDaemon()
        let client = try daemon.client()
        _ = try client.call("dataset/generate", params: ["name": "g", "rows": 200, "features": 3, "positive_rate": 0.2, "seed": 2])
        _ = try client.call("model/train", params: ["dataset": "g", "name": "m", "loss": ["type": "wce"]])
        let rows = try self.rows(client, "g").prefix(40).map(\.values)
        let matrix = rows.flatMap { $0.map(Float.init) }
        for correction in [false, true] {
            let json = try client.call("model/predict", params: ["model": "m", "rows": .array(rows.map { .array($0.map { .double($0) }) }),
                                                                 "prior_correction": .bool(correction)])
            let expected = try XCTUnwrap(json["probabilities"]?.arrayValue).map { try XCTUnwrap($0.arrayValue).compactMap(\.doubleValue) }
            let classes = try XCTUnwrap(json["classes"]?.arrayValue).compactMap(\.stringValue)
            let (result, probabilities, labels) = try binaryPredict(
                client, ["model": "m", "features": ["buffer": 0], "columns": ["x1", "x2", "x3"], "count": 40,
                         "prior_correction": .bool(correction)], matrix: matrix)
            XCTAssertEqual(probabilities, expected, "prior_correction \(correction): the same float32 numbers")
            XCTAssertEqual(labels.map { classes[Int($0)] }, try XCTUnwrap(json["labels"]?.arrayValue).compactMap(\.stringValue))
            XCTAssertEqual(result["classes"], json["classes"])
            XCTAssertEqual(result["threshold"], json["threshold"])
            XCTAssertNil(result["warnings"])
            XCTAssertNil(result["truth"])

            // The same matrix with its columns in another order: matched by name, and said so.
            let reordered = rows.flatMap { [Float($0[2]), Float($0[0]), Float($0[1])] }
            let moved = try binaryPredict(client, ["model": "m", "features": ["buffer": 0], "columns": ["x3", "x1", "x2"], "count": 40,
                                                   "prior_correction": .bool(correction)], matrix: reordered)
            XCTAssertEqual(moved.probabilities, expected)
            XCTAssertEqual(moved.result["warnings"]?.arrayValue?.count, 1)
        }
    }

    func testABinaryMatrixThatDoesNotFitTheModelIsRefusedNamingTheField() throws {
        let daemon = try TestDaemon()
        let client = try daemon.client()
        _ = try client.call("dataset/generate", params: ["name": "g", "rows": 100, "features": 3, "seed": 2])
        _ = try client.call("model/train", params: ["dataset": "g", "name": "m"])
        func refusal(_ params: [String: JSONValue?], _ matrix: [Float] = [Float](repeating: 0.5, count: 6)) throws -> RPCError {
            var all: [String: JSONValue] = ["model": "m", "features": ["buffer": 0], "columns": ["x1", "x2", "x3"], "count": 2]
            for (key, value) in params { all[key] = value }
            let error = try XCTUnwrap(client.rpcError("model/predict", .object(all), buffers: [LittleEndianArrays.data(matrix)]), "\(params)")
            XCTAssertEqual(error.code, ErrorCode.invalidParams, error.message)
            return error
        }
        let other = try refusal(["columns": ["x1", "x2", "x9"]])
        XCTAssertEqual(other.data?["field"], "columns")
        XCTAssertEqual(other.data?["missing"], ["x3"])
        XCTAssertEqual(other.data?["extra"], ["x9"])
        XCTAssertEqual(other.message, "The columns of 'features' differ from the model's features: it lacks 'x3' and it has 'x9' besides.")
        let twice = try refusal(["columns": ["x1", "x2", "x2"]])
        XCTAssertEqual(twice.data?["repeated"], ["x2"])
        let short = try refusal(["count": 3])
        XCTAssertEqual(short.data?["field"], "features")
        XCTAssertEqual(short.data?["expected_bytes"], 36)
        XCTAssertEqual(short.data?["actual_bytes"], 24)
        XCTAssertEqual(try refusal(["columns": nil]).data?["field"], "columns")
        XCTAssertEqual(try refusal(["count": nil]).data?["field"], "count")
        XCTAssertEqual(try refusal(["dataset": "g"]).data?["field"], "dataset", "one input at a time")
        let infinite = try refusal([:], [0, 0, 0, 0, .infinity, 0])
        XCTAssertEqual(infinite.data?["row"], 1)
        XCTAssertEqual(infinite.data?["column"], "x2")
        let stray = try XCTUnwrap(client.rpcError("model/predict", ["model": "m", "dataset": "g", "count": 2]))
        XCTAssertEqual(stray.data?["field"], "count")
    }
}
