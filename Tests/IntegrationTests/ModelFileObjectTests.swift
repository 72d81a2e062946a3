import BallastClient
import BallastProtocol
import Foundation
import XCTest

/// `model/save` without a path answers with the model file's object, and `model/load` takes that
/// object as `file`: the same content, checks and errors as a file on disk, through a real daemon.
final class ModelFileObjectTests: XCTestCase {
    private var folder: String!

    override func setUpWithError() throws {
        folder = NSTemporaryDirectory() + "ballast-model-object-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: folder)
    }

    func testTheObjectIsTheFileAndLoadsBackToTheSamePredictions() throws {
        let folder = folder!
        let daemon = try TestDaemon { $0.writeRoots.append(folder) }
        let client = try daemon.client()
        for model in ["logistic", "mlp", "softmax"] {
            _ = try client.call("model/load", params: ["path": .string(ModelFileTests.fixture(model, version: 1)), "name": .string(model)])
            let saved = try client.call("model/save", params: ["model": .string(model)])
            XCTAssertEqual(saved.objectValue?.keys.sorted(), ["file"], model)
            let file = try XCTUnwrap(saved["file"])
            let path = folder + "/\(model).json"
            _ = try client.call("model/save", params: ["model": .string(model), "path": .string(path)])
            XCTAssertEqual(file, try JSONParser.parse(Data(contentsOf: URL(fileURLWithPath: path))),
                           "\(model): the object is exactly what would be written")
            XCTAssertEqual(file["version"], 2)

            let loaded = try client.call("model/load", params: ["file": file, "name": .string(model + ".copy")])
            XCTAssertEqual(loaded["name"], .string(model + ".copy"))
            let original = try client.call("model/predict", params: ["model": .string(model), "rows": ModelFileTests.rows])
            let copy = try client.call("model/predict", params: ["model": .string(model + ".copy"), "rows": ModelFileTests.rows])
            XCTAssertEqual(copy, original, "\(model): the same bits")
            XCTAssertEqual(try client.call("model/save", params: ["model": .string(model + ".copy")])["file"], file)
        }
        // Without a name, the first free m<n>, as an unnamed training.
        let unnamed = try client.call("model/load", params: ["file": try XCTUnwrap(client.call("model/save", params: ["model": "mlp"])["file"])])
        XCTAssertEqual(unnamed["name"], "m1")
        // A version-1 file's object is read too.
        let v1 = try JSONParser.parse(Data(contentsOf: URL(fileURLWithPath: ModelFileTests.fixture("softmax", version: 1))))
        XCTAssertEqual(try client.call("model/load", params: ["file": v1, "name": "old"])["type"], "softmax")
    }

    func testAnObjectThatCannotBeUsedIsRefusedNamingTheFieldInsideFile() throws {
        let daemon = try TestDaemon()
        let client = try daemon.client()
        let golden = try JSONParser.parse(Data(contentsOf: URL(fileURLWithPath: ModelFileTests.fixture("mlp", version: 2))))
        func refusal(_ keys: [String], _ value: JSONValue?) throws -> RPCError {
            let file = ModelFileTests.replacing(keys, with: value, in: golden)
            let error = try XCTUnwrap(client.rpcError("model/load", ["file": file, "name": "x"]), "\(keys)")
            XCTAssertEqual(error.code, ErrorCode.invalidData, error.message)
            XCTAssertNil(error.data?["path"])
            XCTAssertTrue(error.message.hasPrefix("'file' "), error.message)
            return error
        }
        let future = try refusal(["version"], 3)
        XCTAssertEqual(future.message, "'file' is a version 3 model file; this daemon reads versions 1 to 2.")
        XCTAssertEqual(future.data?["field"], "file.version")
        XCTAssertEqual(future.data?["supported"], 2)
        XCTAssertEqual(try refusal(["format"], "onnx").data?["field"], "file.format")
        XCTAssertEqual(try refusal(["model", "type"], "forest").data?["field"], "file.model.type")
        XCTAssertEqual(try refusal(["config", "optimizer"], ["type": "adam", "lr": 0.01]).data?["field"], "file.config.optimizer.epochs")
        XCTAssertEqual(try refusal(["model", "positive"], "2").data?["field"], "file.model.positive")
        XCTAssertEqual(try refusal(["trained_on"], nil).data?["field"], "file.trained_on")
        let narrow = try refusal(["model", "feature_names"], ["x1", "x2", "x3"])
        XCTAssertEqual(narrow.message, "'file' is damaged: its first layer takes 4 inputs, not its 3 features.")
        XCTAssertEqual(narrow.data?["field"], "file.model.layers[0].inputs")
        let notAnObject = try XCTUnwrap(client.rpcError("model/load", ["file": "model.json"]))
        XCTAssertEqual(notAnObject.code, ErrorCode.invalidData)
        XCTAssertEqual(notAnObject.data?["field"], "file.format")

        let both = try XCTUnwrap(client.rpcError("model/load", ["file": golden, "path": "/tmp/m.json"]))
        XCTAssertEqual(both.code, ErrorCode.invalidParams)
        XCTAssertEqual(both.data?["field"], "file")
        let neither = try XCTUnwrap(client.rpcError("model/load", ["name": "x"]))
        XCTAssertEqual(neither.code, ErrorCode.invalidParams)
        XCTAssertEqual(neither.data?["field"], "path")
        XCTAssertEqual(try client.call("model/list")["models"], [], "nothing refused was stored")
    }

    func testLayerSizesAreCheckedBeforeTheyAreUsed() throws {
        let daemon = try TestDaemon()
        let client = try daemon.client()
        let golden = try JSONParser.parse(Data(contentsOf: URL(fileURLWithPath: ModelFileTests.fixture("mlp", version: 2))))
        func refusal(_ layers: JSONValue) throws -> RPCError {
            let file = ModelFileTests.replacing(["model", "layers"], with: layers, in: golden)
            let error = try XCTUnwrap(client.rpcError("model/load", ["file": file, "name": "x"]), "\(layers)")
            XCTAssertEqual(error.code, ErrorCode.invalidData, error.message)
            return error
        }
        let layers = try XCTUnwrap(golden["model"]?["layers"]?.arrayValue)
        XCTAssertEqual(layers.count, 2, "the fixture is 4 → 3 → 1")
        func layer(_ inputs: Int64, _ outputs: Int64, weights: Int = 0, bias: Int = 0) -> JSONValue {
            ["inputs": .int(inputs), "outputs": .int(outputs),
             "weights": .array(Array(repeating: 0.5, count: weights)), "bias": .array(Array(repeating: 0, count: bias))]
        }
        // inputs × outputs does not fit in an Int: refused, not a trap that takes the daemon down.
        let huge = try refusal([layers[0], layer(1 << 32, 1 << 32)])
        XCTAssertEqual(huge.data?["field"], "file.model.layers[1]")
        XCTAssertTrue(huge.message.contains("layer 1 has 4294967296 inputs × 4294967296 outputs"), huge.message)
        // A hidden layer of no units, chained and with the weights that fit it, is no model.
        let empty = try refusal([layer(4, 0), layer(0, 1, bias: 1)])
        XCTAssertEqual(empty.data?["field"], "file.model.layers[0].outputs")
        XCTAssertEqual(empty.message, "'file' is damaged: layer 0 has 0 outputs; a layer has at least 1.")
        XCTAssertEqual(try refusal([layers[0], layer(-3, 1, bias: 1)]).data?["field"], "file.model.layers[1].inputs")
        XCTAssertEqual(try refusal([layers[0], layer(3, 1, weights: 2, bias: 1)]).data?["field"], "file.model.layers[1].weights")
        XCTAssertEqual(try refusal([layers[0], layer(3, 1, weights: 3, bias: 2)]).data?["field"], "file.model.layers[1].bias")
        XCTAssertEqual(try refusal([]).data?["field"], "file.model.layers")
        XCTAssertEqual(try client.call("ping")["pong"], true, "the daemon is still there")
        XCTAssertEqual(try client.call("model/list")["models"], [], "nothing refused was stored")
    }

    func testAnObjectCountsAgainstTheMemoryBudget() throws {
        // The dataset (8,000 bytes) leaves 1,000 free: the logistic (1,044) does not fit.
        let daemon = try TestDaemon { $0.memoryBudgetBytes = 9_000 }
        let client = try daemon.client()
        _ = try client.call("dataset/generate", params: ["name": "toy", "rows": 400, "features": 4])
        let file = try JSONParser.parse(Data(contentsOf: URL(fileURLWithPath: ModelFileTests.fixture("logistic", version: 2))))
        let refused = try XCTUnwrap(client.rpcError("model/load", ["file": file, "name": "m"]))
        XCTAssertEqual(refused.code, ErrorCode.resourceLimit, refused.message)
        XCTAssertEqual(try client.call("model/list")["models"], [])
        _ = try client.call("dataset/drop", params: ["dataset": "toy"])
        XCTAssertEqual(try client.call("model/load", params: ["file": file, "name": "m"])["name"], "m")
    }
}
