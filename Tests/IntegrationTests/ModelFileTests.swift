import BallastClient
import BallastProtocol
import Foundation
import XCTest

/// The model file through a real daemon: the checked-in files of every version load and predict
/// the numbers recorded when they were written, a save → load round trip is exact, and a file
/// that cannot be used is refused saying which file and why.
final class ModelFileTests: XCTestCase {
    private var folder: String!

    override func setUpWithError() throws {
        folder = NSTemporaryDirectory() + "ballast-model-files-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: folder)
    }

    static let fixtures = BuiltProducts.repositoryRoot.appendingPathComponent("Tests/IntegrationTests/Fixtures/ModelFiles").path

    static func fixture(_ model: String, version: Int) -> String { fixtures + "/\(model)-v\(version).json" }

    static let rows: JSONValue = [[0.5, -1.0, 2.0, 0.25], [-1.5, 0.75, 0.0, 1.0], [3.0, 2.0, -2.5, -0.5], [0, 0, 0, 0]]

    /// `model/predict`'s probabilities of `rows`, recorded by protocol 1.2's daemon (commit 52622df)
    /// when it wrote the version-1 fixtures (see Fixtures/ModelFiles/README.md).
    static let recorded: [String: [[Double]]] = [
        "logistic": [[0.6825218796730042, 0.31747812032699585], [0.3425459563732147, 0.6574540138244629],
                     [0.9998190999031067, 0.0001808934612199664], [0.8394784331321716, 0.16052159667015076]],
        "mlp": [[0.7566642761230469, 0.24333573877811432], [0.7133151888847351, 0.2866848111152649],
                [0.9039171934127808, 0.09608281403779984], [0.7897977828979492, 0.21020224690437317]],
        "softmax": [[0.21783681213855743, 0.7821215987205505, 4.160461321589537e-05],
                    [0.6181381940841675, 0.007610356900840998, 0.37425145506858826],
                    [0.9999878406524658, 1.2154784599260893e-05, 9.727389033153955e-11],
                    [0.9864418506622314, 0.0113236578181386, 0.002234504558146]],
    ]

    /// What `model/list` says of each fixture, in both versions.
    static let summaries: [String: JSONValue] = [
        "logistic": ["type": "logistic", "classes": ["0", "1"], "positive": "1", "features": 4, "trained_on": "toy.train",
                     "loss": "wce", "threshold": 0.5],
        "mlp": ["type": "mlp", "classes": ["0", "1"], "positive": "1", "features": 4, "trained_on": "toy.train",
                "loss": "focal", "threshold": 0.27377864718437195],
        "softmax": ["type": "softmax", "classes": ["0", "1", "2"], "features": 4, "trained_on": "three", "loss": "wce"],
    ]

    /// Float32 probabilities may move by a few ulps if the kernels change; a relative 1e-5 (about
    /// 100 float32 ulps) allows that and nothing a changed model would give.
    static let relativeTolerance = 1e-5

    func testEveryFixtureOfEveryVersionPredictsTheRecordedProbabilities() throws {
        let daemon = try TestDaemon()
        let client = try daemon.client()
        for (model, expected) in Self.recorded.sorted(by: { $0.key < $1.key }) {
            for version in [1, 2] {
                let label = "\(model) version \(version)"
                let name = "\(model)-v\(version)"
                let loaded = try client.call("model/load", params: ["path": .string(Self.fixture(model, version: version))])
                var summary = try XCTUnwrap(loaded.objectValue, label)
                XCTAssertEqual(summary.removeValue(forKey: "name"), .string(name), label)
                XCTAssertEqual(.object(summary), Self.summaries[model], label)
                let predicted = try client.call("model/predict", params: ["model": .string(name), "rows": Self.rows])
                let probabilities = try XCTUnwrap(predicted["probabilities"]?.arrayValue, label)
                XCTAssertEqual(probabilities.count, expected.count, label)
                for (row, (actual, wanted)) in zip(probabilities, expected).enumerated() {
                    let values = try XCTUnwrap(actual.arrayValue?.compactMap(\.doubleValue), label)
                    XCTAssertEqual(values.count, wanted.count, label)
                    for (column, (value, reference)) in zip(values, wanted).enumerated() {
                        XCTAssertEqual(value, reference, accuracy: Self.relativeTolerance * reference,
                                       "\(label): P(class \(column)) of row \(row)")
                    }
                }
            }
        }
    }

    func testBothVersionsOfAFixtureDescribeTheSameModelAndConfig() throws {
        let daemon = try TestDaemon()
        let client = try daemon.client()
        for model in ["logistic", "mlp", "softmax"] {
            var described: [JSONValue] = []
            for version in [1, 2] {
                _ = try client.call("model/load", params: ["path": .string(Self.fixture(model, version: version)), "name": "m"])
                var result = try XCTUnwrap(try client.call("model/describe", params: ["model": "m"]).objectValue)
                result["model"] = nil
                described.append(.object(result))
            }
            XCTAssertEqual(described[0], described[1], model)
        }
        let softmax = try client.call("model/describe", params: ["model": "m"])  // the last one loaded
        XCTAssertEqual(softmax["config"], ["model": ["type": "softmax"], "loss": ["type": "wce"],
                                       "optimizer": ["type": "sgd", "lr": 0.05, "epochs": 15, "batch_size": 64, "momentum": 0.8],
                                       "l2": 0.001, "reduction": "sum", "seed": 4,
                                       "class_weights": [0.20560464675956824, 0.29076887993431083, 0.503626473306121]])
    }

    /// Saving a loaded fixture of either version gives the version-2 fixture: the keys and values
    /// written are pinned, and a v1 file converts without loss.
    func testSavingALoadedFixtureWritesTheVersion2Fixture() throws {
        let folder = folder!
        let daemon = try TestDaemon { $0.writeRoots.append(folder) }
        let client = try daemon.client()
        for model in ["logistic", "mlp", "softmax"] {
            let golden = try JSONParser.parse(Data(contentsOf: URL(fileURLWithPath: Self.fixture(model, version: 2))))
            for version in [1, 2] {
                let path = folder + "/\(model)-\(version).json"
                _ = try client.call("model/load", params: ["path": .string(Self.fixture(model, version: version)), "name": "m"])
                let saved = try client.call("model/save", params: ["model": "m", "path": .string(path)])
                let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
                XCTAssertEqual(saved["bytes"], .int(Int64(bytes.count)))
                XCTAssertEqual(try JSONParser.parse(bytes), golden, "\(model) from version \(version)")
            }
        }
    }

    /// A model trained here (whose config holds a thread count and whose summary a run) saves
    /// without either, and loads back predicting bit for bit the same; saving it again gives the
    /// same bytes.
    func testSaveLoadRoundTripIsExact() throws {
        let folder = folder!
        let daemon = try TestDaemon { $0.writeRoots.append(folder) }
        let client = try daemon.client()
        _ = try client.call("dataset/generate", params: ["name": "toy", "rows": 500, "features": 6, "seed": 2])
        _ = try client.call("model/train", params: ["dataset": "toy", "name": "m", "model": ["type": "mlp", "hidden": [5, 3]],
                                                    "loss": ["type": "focal"], "optimizer": ["type": "sgd", "epochs": 3], "seed": 9])
        let first = folder + "/first.json"
        _ = try client.call("model/save", params: ["model": "m", "path": .string(first)])
        let file = try JSONParser.parse(Data(contentsOf: URL(fileURLWithPath: first)))
        XCTAssertEqual(file["version"], 2)
        XCTAssertNil(file["config"]?["threads"], "the thread count is the daemon's, not the model's")
        XCTAssertNil(file["run"])
        XCTAssertEqual(file["model"]?["layers"]?.arrayValue?.map { $0["outputs"] }, [5, 3, 1])

        _ = try client.call("model/load", params: ["path": .string(first), "name": "copy"])
        var original = try XCTUnwrap(try client.call("model/describe", params: ["model": "m"]).objectValue)
        var copy = try XCTUnwrap(try client.call("model/describe", params: ["model": "copy"]).objectValue)
        XCTAssertNotNil(original["model"]?["run"])
        XCTAssertNil(copy["model"]?["run"], "a loaded model's run belonged to another daemon")
        original["model"] = nil
        copy["model"] = nil
        XCTAssertEqual(JSONValue.object(original), JSONValue.object(copy))
        XCTAssertEqual(try client.call("model/predict", params: ["model": "m", "dataset": "toy"]),
                       try client.call("model/predict", params: ["model": "copy", "dataset": "toy"]))
        let second = folder + "/second.json"
        _ = try client.call("model/save", params: ["model": "copy", "path": .string(second)])
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: first)), try Data(contentsOf: URL(fileURLWithPath: second)))
    }

    func testFilesThatCannotBeUsedAreRefusedNamingTheFile() throws {
        let daemon = try TestDaemon()
        let client = try daemon.client()
        let golden = try JSONParser.parse(Data(contentsOf: URL(fileURLWithPath: Self.fixture("mlp", version: 2))))
        /// Loads the mlp fixture with the value at `keys` replaced (removed when nil).
        func refusal(_ name: String, _ keys: [String], _ value: JSONValue?) throws -> RPCError {
            let path = folder + "/\(name).json"
            try Data(JSONWriter.data(Self.replacing(keys, with: value, in: golden))).write(to: URL(fileURLWithPath: path))
            let error = try XCTUnwrap(client.rpcError("model/load", ["path": .string(path)]), name)
            XCTAssertEqual(error.code, ErrorCode.invalidData, "\(name): \(error.message)")
            XCTAssertEqual(error.data?["path"], .string(path), name)
            XCTAssertTrue(error.message.hasPrefix(path), error.message)
            return error
        }
        let future = try refusal("future", ["version"], 3)
        XCTAssertEqual(future.message, "\(folder!)/future.json is a version 3 model file; this daemon reads versions 1 to 2.")
        XCTAssertEqual(future.data?["supported"], 2)
        XCTAssertTrue(try refusal("foreign", ["format"], "onnx").message.contains("is not a Ballast model file"))
        let narrow = try refusal("narrow", ["model", "feature_names"], ["x1", "x2", "x3"])
        XCTAssertTrue(narrow.message.hasSuffix("is damaged: its first layer takes 4 inputs, not its 3 features."), narrow.message)
        XCTAssertEqual(narrow.data?["field"], "model.layers[0].inputs")
        let firstLayer = try XCTUnwrap(golden["model"]?["layers"]?.arrayValue?.first)
        let cut = try refusal("cut", ["model", "layers"], [firstLayer])
        XCTAssertTrue(cut.message.contains("its layers (4 → 3) do not fit a model of type mlp with 4 features and 2 classes"), cut.message)
        XCTAssertEqual(try refusal("unnamed", ["model", "type"], "forest").data?["field"], "model.type")
        let partial = try refusal("partial", ["config", "optimizer"], ["type": "adam", "lr": 0.01])
        XCTAssertEqual(partial.data?["field"], "config.optimizer.epochs")
        XCTAssertEqual(try refusal("stranger", ["model", "positive"], "2").data?["field"], "model.positive")
        XCTAssertEqual(try refusal("missing", ["trained_on"], nil).data?["field"], "trained_on")
        XCTAssertEqual(try client.call("model/list")["models"], [], "nothing refused was stored")
    }

    func testAModelThatCannotBeWrittenSaysWhereAndWhy() throws {
        let folder = folder!
        let daemon = try TestDaemon { $0.writeRoots.append(folder) }
        let client = try daemon.client()
        _ = try client.call("model/load", params: ["path": .string(Self.fixture("logistic", version: 2)), "name": "m"])
        let path = folder + "/absent/m.json"
        let error = try XCTUnwrap(client.rpcError("model/save", ["model": "m", "path": .string(path)]))
        XCTAssertEqual(error.code, ErrorCode.invalidData)
        XCTAssertEqual(error.message, "Cannot write \(path): No such file or directory.")
        XCTAssertEqual(error.data?["path"], .string(path))
    }

    /// `value` with the member at the path `keys` replaced, or removed when `replacement` is nil.
    static func replacing(_ keys: [String], with replacement: JSONValue?, in value: JSONValue) -> JSONValue {
        guard let key = keys.first, var members = value.objectValue else { return replacement ?? value }
        if keys.count == 1 {
            members[key] = replacement
        } else {
            members[key] = replacing(Array(keys.dropFirst()), with: replacement, in: members[key] ?? [:])
        }
        return .object(members)
    }
}
