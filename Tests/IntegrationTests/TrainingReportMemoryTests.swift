import BallastClient
import BallastProtocol
import Foundation
import XCTest

/// A training's final metrics hold the probabilities of every row and a ranking's keys: on a disk
/// dataset that is far more than the dataset itself holds (its classes), so the training counts it
/// in its reservation and a real daemon refuses, before the first iteration, a training whose
/// report would not fit the memory budget.
final class TrainingReportMemoryTests: XCTestCase {
    private var folder: String!

    override func setUpWithError() throws {
        folder = NSTemporaryDirectory() + "ballast-report-memory-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        setenv("BALLAST_LOAD_WINDOW_BYTES", "4096", 1)
    }

    override func tearDownWithError() throws {
        unsetenv("BALLAST_LOAD_WINDOW_BYTES")
        try? FileManager.default.removeItem(atPath: folder)
    }

    /// 20,000 rows × 2 features, 1 row in 20 positive.
    private func writeFile() throws -> String {
        let path = folder + "/rows.csv"
        let text = "a,b,label\n" + (0..<20_000).map { "\(Double($0 % 97) / 10),\(Double($0 % 13) - 6),\($0 % 20 == 0 ? 1 : 0)\n" }.joined()
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    private func bytesUsed(_ client: Client) throws -> Int64? {
        try client.call("dataset/list")["bytes_used"]?.intValue
    }

    func testATrainingWhoseReportDoesNotFitIsRefusedUpFrontAndFitsOnceThereIsRoom() throws {
        let daemon = try TestDaemon { $0.memoryBudgetBytes = 400_000 }
        let client = try daemon.client()
        let loaded = try client.call("dataset/load", params: ["path": .string(try writeFile()), "name": "rows", "storage": "disk"])
        XCTAssertEqual(loaded["dataset"]?["bytes"], .int(20_000 * 4), "a disk dataset holds its classes")
        // 5,000 × (4 + 1) × 4 = 100,000 bytes: 220,000 of the budget are left.
        _ = try client.call("dataset/generate", params: ["name": "filler", "rows": 5_000, "features": 4])
        let before = try bytesUsed(client)
        XCTAssertEqual(before, 180_000)

        // The model: 3 parameters (4 bytes each + 1,024); L-BFGS's 24 vectors of 3 doubles; the
        // report: 20,000 rows × 2 classes × 4 bytes of probabilities + 20,000 × 4 of ranking keys.
        let needed = (3 * 4 + 1_024) + 24 * 3 * 8 + 20_000 * 2 * 4 + 20_000 * 4
        let refused = try XCTUnwrap(client.rpcError("model/train", ["dataset": "rows", "name": "m", "loss": ["type": "wce"]]))
        XCTAssertEqual(refused.code, ErrorCode.resourceLimit, refused.message)
        XCTAssertEqual(refused.data?["field"], "dataset")
        XCTAssertEqual(refused.data?["bytes_needed"], .int(Int64(needed)))
        XCTAssertEqual(refused.data?["bytes_free"], .int(Int64(400_000 - 180_000)))
        XCTAssertTrue(refused.message.contains("final metrics"), refused.message)
        XCTAssertEqual(try client.call("model/list")["models"]?.arrayValue?.count, 0, "nothing was trained")
        XCTAssertEqual(try client.call("run/list", params: ["method": "model/train"])["runs"], [], "refused before a run began")
        XCTAssertEqual(try bytesUsed(client), before, "a refused training holds nothing")

        // With a validation dataset its rows are scored too, and count as well.
        _ = try client.call("dataset/drop", params: ["dataset": "filler"])
        let withValidation = try XCTUnwrap(client.rpcError("model/train", ["dataset": "rows", "validation": "rows", "name": "m"]))
        XCTAssertEqual(withValidation.code, ErrorCode.resourceLimit, withValidation.message)
        XCTAssertEqual(withValidation.data?["bytes_needed"], .int(Int64(needed + 20_000 * 2 * 4)))

        let trained = try client.call("model/train", params: ["dataset": "rows", "name": "m", "loss": ["type": "wce"]])
        XCTAssertEqual(trained["model"], "m")
        XCTAssertNotNil(trained["metrics"]?["train"]?["roc_auc"]?.doubleValue)
        XCTAssertEqual(try bytesUsed(client), 80_000 + 3 * 4 + 1_024, "after training the model is held, not its report")
    }
}
