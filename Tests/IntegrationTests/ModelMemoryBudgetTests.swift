import BallastClient
import BallastProtocol
import Foundation
import XCTest

/// Models count against the memory budget that datasets count against, through a real daemon
/// with a tiny budget.
final class ModelMemoryBudgetTests: XCTestCase {
    /// 400 rows × 4 features: 400 × (4 + 1) × 4 bytes.
    static let datasetBytes = 8_000
    /// Each counts 4 bytes per parameter plus 1,024: the logistic has 5 parameters, the mlp
    /// (4 → 3 → 1) 19, the softmax (4 → 3) 15.
    static let modelBytes = ["logistic": 1_044, "mlp": 1_100, "softmax": 1_084]

    private func bytesUsed(_ client: Client) throws -> Int64? {
        try client.call("dataset/list")["bytes_used"]?.intValue
    }

    private func load(_ client: Client, _ model: String, version: Int = 2, as name: String) throws -> JSONValue {
        try client.call("model/load", params: ["path": .string(ModelFileTests.fixture(model, version: version)), "name": .string(name)])
    }

    func testAModelThatDoesNotFitIsRefusedAndDroppingOneMakesRoom() throws {
        let daemon = try TestDaemon { $0.memoryBudgetBytes = 12_000 }
        let client = try daemon.client()
        _ = try client.call("dataset/generate", params: ["name": "toy", "rows": 400, "features": 4])
        XCTAssertEqual(try bytesUsed(client), Int64(Self.datasetBytes))
        _ = try load(client, "mlp", as: "a")
        _ = try load(client, "logistic", as: "b")
        _ = try load(client, "softmax", as: "c")
        let used = Self.datasetBytes + Self.modelBytes.values.reduce(0, +)
        XCTAssertEqual(try bytesUsed(client), Int64(used), "bytes_used counts models too")

        // The file (1,792 bytes of text) is larger than what is free: refused before it is read.
        let file = ModelFileTests.fixture("mlp", version: 1)
        let refused = try XCTUnwrap(client.rpcError("model/load", ["path": .string(file), "name": "d"]))
        XCTAssertEqual(refused.code, ErrorCode.resourceLimit)
        XCTAssertEqual(refused.message, "Reading the model file \(file) needs 1.8 kB, but 772 bytes of the 12.0 kB memory budget is free; drop a dataset or a model, or raise --memory-budget.")
        XCTAssertEqual(refused.data?["bytes_needed"], 1_792)
        XCTAssertEqual(refused.data?["bytes_free"], .int(Int64(12_000 - used)))
        XCTAssertEqual(refused.data?["memory_budget"], 12_000)
        XCTAssertEqual(refused.data?["path"], .string(file))
        XCTAssertEqual(try client.call("model/list")["models"]?.arrayValue?.compactMap { $0["name"]?.stringValue }, ["a", "b", "c"])
        XCTAssertEqual(try bytesUsed(client), Int64(used), "a refused model holds nothing")

        _ = try load(client, "mlp", as: "a")
        XCTAssertEqual(try bytesUsed(client), Int64(used), "a model replaced gives its bytes back")
        _ = try client.call("model/drop", params: ["model": "b"])
        XCTAssertEqual(try bytesUsed(client), Int64(used - Self.modelBytes["logistic"]!), "a model dropped gives its bytes back")
        _ = try load(client, "mlp", as: "d")
        XCTAssertEqual(try client.call(Ping.method)["pong"], true)
    }

    /// A file that fits what is free is read, and the model it holds is refused when the model
    /// does not fit; the model a load replaces counts as free for both questions.
    func testAModelFileIsCheckedAgainstWhatIsFreeBeforeItIsReadAndTheModelWhenStored() throws {
        // The dataset (8,000), then the mlp (1,100): 950 bytes free.
        let daemon = try TestDaemon { $0.memoryBudgetBytes = 10_050 }
        let client = try daemon.client()
        _ = try client.call("dataset/generate", params: ["name": "toy", "rows": 400, "features": 4])
        _ = try load(client, "mlp", as: "a")
        // logistic-v2.json is 913 bytes of text (it fits), holding a model of 1,044 (it does not).
        let logistic = ModelFileTests.fixture("logistic", version: 2)
        let refused = try XCTUnwrap(client.rpcError("model/load", ["path": .string(logistic), "name": "d"]))
        XCTAssertEqual(refused.code, ErrorCode.resourceLimit)
        XCTAssertTrue(refused.message.hasPrefix("Keeping the model 'd' needs 1.0 kB, but 950 bytes of the"), refused.message)
        XCTAssertEqual(refused.data?["bytes_needed"], 1_044)
        XCTAssertEqual(refused.data?["bytes_free"], 950)
        // In place of 'a', 2,050 bytes are free: room for the file (1,628) and the model (1,100).
        XCTAssertEqual(try load(client, "mlp", as: "a")["name"], "a")
        // But not for the mlp's version-1 file (1,792 bytes) beside 'a'.
        let file = ModelFileTests.fixture("mlp", version: 1)
        let beside = try XCTUnwrap(client.rpcError("model/load", ["path": .string(file), "name": "e"]))
        XCTAssertEqual(beside.data?["bytes_needed"], 1_792, beside.message)
        XCTAssertTrue(beside.message.hasPrefix("Reading the model file"), beside.message)
        XCTAssertEqual(try load(client, "mlp", version: 1, as: "a")["name"], "a", "in place of 'a' it fits")
        XCTAssertEqual(try client.call("model/list")["models"]?.arrayValue?.compactMap { $0["name"]?.stringValue }, ["a"])
    }

    func testATrainedModelThatDoesNotFitIsRefusedAndTheDaemonKeepsServing() throws {
        // The dataset (8,000) and, while "small" trains, its report: 400 rows × (2 probabilities
        // + 1 ranking key) × 4 bytes = 4,800, beside the model and the optimizer's state.
        let daemon = try TestDaemon { $0.memoryBudgetBytes = 16_000 }
        let client = try daemon.client()
        _ = try client.call("dataset/generate", params: ["name": "toy", "rows": 400, "features": 4])
        _ = try client.call("model/train", params: ["dataset": "toy", "name": "small"])
        XCTAssertEqual(try bytesUsed(client), Int64(Self.datasetBytes + Self.modelBytes["logistic"]!))
        // 4 × 1,000 + 1,000 + 1,000 + 1 = 6,001 parameters: 25,028 bytes for the model, and while
        // it trains 6,001 × 5 doubles (parameters, gradient, Adam's two moments, a step) = 240,040,
        // and the report's 4,800.
        let refused = try XCTUnwrap(client.rpcError("model/train", ["dataset": "toy", "name": "big",
                                                                   "model": ["type": "mlp", "hidden": [1_000]],
                                                                   "optimizer": ["type": "adam", "epochs": 1]]))
        XCTAssertEqual(refused.code, ErrorCode.resourceLimit, refused.message)
        XCTAssertEqual(refused.data?["bytes_needed"], 269_868)
        XCTAssertEqual(refused.data?["field"], "model.hidden", "the network's size, not the rows, made it large")
        XCTAssertTrue(refused.message.contains("memory budget"), refused.message)
        XCTAssertEqual(try client.call("model/list")["models"]?.arrayValue?.compactMap { $0["name"]?.stringValue }, ["small"])

        let dataset = try XCTUnwrap(client.rpcError("dataset/generate", ["name": "more", "rows": 400, "features": 4]))
        XCTAssertEqual(dataset.code, ErrorCode.resourceLimit, "datasets see the bytes models hold")
        XCTAssertTrue(dataset.message.hasPrefix("Generating the dataset 'more' needs 8.0 kB, but 7.0 kB of"), dataset.message)
        XCTAssertEqual(try client.call(Ping.method)["pong"], true)
        XCTAssertEqual(try client.call("model/drop", params: ["model": "small"])["dropped"], "small")
        XCTAssertNoThrow(try client.call("dataset/generate", params: ["name": "more", "rows": 400, "features": 4]))
    }
}
