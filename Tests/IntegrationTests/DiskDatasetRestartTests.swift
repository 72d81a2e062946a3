import BallastClient
import BallastProtocol
import Foundation
import XCTest

/// A kept disk dataset through a restart of a real daemon on one state directory: its row file,
/// written by the load (or a standardize) straight into the datasets folder, is mapped again at
/// start (no CSV read), while its views (splits) are reported as not kept,
/// checked against its fingerprint, and trains to the same model; the CSV it came from is still
/// checked for changes before Spark reads it; a damaged or missing row file is
/// reported with how to load it again while the daemon serves on; `--state-max-bytes` and
/// `dataset/drop` remove it.
final class DiskDatasetRestartTests: XCTestCase {
    private var folder: String!
    private var state: String { folder + "/state" }

    override func setUpWithError() throws {
        folder = NSTemporaryDirectory() + "ballast-disk-restart-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: folder)
    }

    private func csv(rows: Int = 600) throws -> String {
        let path = folder + "/fraudlike.csv"
        let text = "amount,score,label\n" + (0..<rows).map { i in
            "\(Double(i % 37) * 1.25 - 9),\(Double((i * 7) % 11) / 4),\(i % 9 == 0 ? "fraud" : "ok")\n"
        }.joined()
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    private func rowFiles() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: state + "/datasets").filter { $0.hasSuffix(".rows") }
    }

    private func train(_ client: Client, model: String) throws -> JSONValue {
        _ = try client.call("model/train", params: ["dataset": "big", "name": .string(model), "seed": 5,
                                                    "loss": ["type": "wce", "weights": ["scheme": "inverse"]]])
        return try client.call("model/describe", params: ["model": .string(model)])["parameters"] ?? .null
    }

    func testAKeptDiskDatasetComesBackMappedFromItsRowFileAndTrainsTheSame() throws {
        let path = try csv()
        let first = try TestDaemon(stateDirectory: state)
        let client = try first.client()
        let loaded = try client.call("dataset/load", params: ["path": .string(path), "name": "big", "storage": "disk"])
        XCTAssertFalse(loaded["warnings"]?.arrayValue?.contains { $0.stringValue?.contains("restart") == true } ?? false,
                       "a kept disk dataset needs no warning about restarts: \(loaded["warnings"] ?? .null)")
        let before = try client.call("dataset/describe", params: ["dataset": "big"])
        let head = try client.call("dataset/head", params: ["dataset": "big", "rows": 20])
        let model = try train(client, model: "before")
        XCTAssertNotEqual(model, .null)
        // A split is a view (a row map, not kept); a standardized copy is a row file of its own (kept).
        _ = try client.call("dataset/split", params: ["dataset": "big", "test": 0.25, "seed": 2])
        _ = try client.call("dataset/standardize", params: ["fit": "big"])
        let scaled = try client.call("dataset/head", params: ["dataset": "big.std", "rows": 20])
        XCTAssertEqual(try rowFiles().count, 2)
        _ = first.stop()

        // The CSV changes: what comes back can only come from the row file.
        try Data("amount,score,label\n1,2,ok\n".utf8).write(to: URL(fileURLWithPath: path))
        let second = try TestDaemon(stateDirectory: state) { configuration in
            configuration.spark.sidecarDirectory = BuiltProducts.repositoryRoot.appendingPathComponent("sidecars/spark").path
        }
        let again = try second.client()
        let listed = try again.call("dataset/list")
        let entry = try XCTUnwrap(listed["datasets"]?.arrayValue?.first { $0["name"] == "big" }, "\(listed)")
        XCTAssertEqual(entry["storage"], "disk", "it is still on disk, mapped")
        XCTAssertEqual(try again.call("dataset/head", params: ["dataset": "big.std", "rows": 20]), scaled)
        let views = (listed["unavailable"]?.arrayValue ?? []).filter { $0["reason"] == "not_kept" }
        XCTAssertEqual(Set(views.compactMap { $0["name"]?.stringValue }), ["big.train", "big.test"], "\(listed)")
        for view in views {
            XCTAssertTrue(view["message"]?.stringValue?.contains("view of a disk dataset") == true, "\(view)")
            XCTAssertTrue(view["message"]?.stringValue?.contains("dataset/split") == true, "says how to make it again: \(view)")
        }
        // A training on it says why it is gone, as describe does, not only that the name is unknown.
        let gone = try XCTUnwrap(again.rpcError("model/train", ["dataset": "big.train"]))
        XCTAssertEqual(gone.data?["reason"], "not_kept", gone.message)
        XCTAssertTrue(gone.message.contains("did not come back"), gone.message)
        XCTAssertEqual(try again.call("dataset/describe", params: ["dataset": "big"]), before)
        XCTAssertEqual(try again.call("dataset/head", params: ["dataset": "big", "rows": 20]), head)
        XCTAssertEqual(try train(again, model: "after"), model, "the restored rows train to the same model, bit for bit")

        // The file it was loaded from is remembered as it was, so Spark still refuses the changed CSV
        // (refused before any JVM starts).
        let refused = try XCTUnwrap(again.rpcError("model/train", ["dataset": "big", "engine": "spark"]))
        XCTAssertEqual(refused.code, -32602)
        XCTAssertEqual(refused.data?["field"], "engine")
        XCTAssertTrue(refused.message.contains("changed since"), refused.message)

        // Dropped: its row file goes, and the next start does not look for it.
        _ = try again.call("dataset/drop", params: ["dataset": "big"])
        _ = try again.call("dataset/drop", params: ["dataset": "big.std"])
        XCTAssertEqual(try rowFiles(), [])
        _ = second.stop()
        let third = try TestDaemon(stateDirectory: state)
        let after = try third.client().call("dataset/list")
        XCTAssertNil(after["datasets"]?.arrayValue?.first { $0["name"] == "big" })
        XCTAssertNil(after["unavailable"]?.arrayValue?.first { $0["name"] == "big" })
        _ = third.stop()
    }

    func testADamagedOrMissingRowFileIsReportedAndTheDaemonServesOn() throws {
        let path = try csv()
        let first = try TestDaemon(stateDirectory: state)
        let client = try first.client()
        for name in ["flipped", "gone"] {
            _ = try client.call("dataset/load", params: ["path": .string(path), "name": .string(name), "storage": "disk"])
        }
        _ = first.stop()
        let files = try rowFiles()
        let flipped = try XCTUnwrap(files.first { $0.hasPrefix("flipped-") })
        let gone = try XCTUnwrap(files.first { $0.hasPrefix("gone-") })
        // One feature value changed in place: sizes and classes still check, the fingerprint does not.
        let handle = try XCTUnwrap(FileHandle(forUpdatingAtPath: state + "/datasets/" + flipped))
        try handle.seek(toOffset: 4096 + 40)
        try handle.write(contentsOf: Data([0x7F, 0x7F, 0x7F, 0x3F]))
        try handle.close()
        try FileManager.default.removeItem(atPath: state + "/datasets/" + gone)

        let second = try TestDaemon(stateDirectory: state)
        let again = try second.client()
        let listed = try again.call("dataset/list")
        let unavailable = Dictionary(uniqueKeysWithValues: (listed["unavailable"]?.arrayValue ?? []).compactMap { item in
            item["name"]?.stringValue.map { ($0, item) }
        })
        XCTAssertEqual(unavailable["flipped"]?["reason"], "damaged", "\(listed)")
        XCTAssertTrue(unavailable["flipped"]?["message"]?.stringValue?.contains("other data than the store recorded") == true,
                      "\(unavailable["flipped"] ?? .null)")
        XCTAssertEqual(unavailable["gone"]?["reason"], "missing", "\(listed)")
        XCTAssertTrue(unavailable["gone"]?["message"]?.stringValue?.contains("dataset/load") == true,
                      "says how to load it again: \(unavailable["gone"] ?? .null)")
        // The daemon serves on: the same name loads again.
        let reloaded = try again.call("dataset/load", params: ["path": .string(path), "name": "flipped", "storage": "disk"])
        XCTAssertEqual(reloaded["dataset"]?["rows"], 600)
        _ = second.stop()
    }

    func testARowFileLargerThanTheStateSizeLimitIsNotKept() throws {
        let path = try csv(rows: 2_000)
        let daemon = try TestDaemon(stateDirectory: state) { $0.stateMaxBytes = 4_096 }
        let client = try daemon.client()
        _ = try client.call("dataset/load", params: ["path": .string(path), "name": "big", "storage": "disk"])
        XCTAssertEqual(try rowFiles(), [], "the row file is over --state-max-bytes, so it is not kept")
        // It still reads: the unlinked file stays mapped for as long as the dataset lives.
        let head = try client.call("dataset/head", params: ["dataset": "big", "rows": 3])
        XCTAssertEqual(head["rows"]?.arrayValue?.count, 3, "\(head)")
        _ = daemon.stop()
        let next = try TestDaemon(stateDirectory: state)
        let listed = try next.client().call("dataset/list")
        XCTAssertEqual(listed["unavailable"]?.arrayValue?.first { $0["name"] == "big" }?["reason"], "evicted", "\(listed)")
        _ = next.stop()
    }

    func testARefusedStandardizeLeavesNoKeptRowFileAndABadSuffixIsRefusedFirst() throws {
        let path = try csv()
        let daemon = try TestDaemon(stateDirectory: state)
        let client = try daemon.client()
        _ = try client.call("dataset/load", params: ["path": .string(path), "name": "big", "storage": "disk"])
        XCTAssertEqual(try rowFiles().count, 1)
        // The first target is written to disk before the second is found missing: nothing stays.
        let missing = try XCTUnwrap(client.rpcError("dataset/standardize", ["fit": "big", "apply": ["big", "nope"]]))
        XCTAssertEqual(missing.data?["field"], "apply", missing.message)
        XCTAssertEqual(try rowFiles().count, 1, "the standardized copy of 'big' written before the refusal is removed")
        // A suffix that makes a bad name is refused at suffix, before any row is written.
        let suffix = try XCTUnwrap(client.rpcError("dataset/standardize", ["fit": "big", "suffix": " scaled"]))
        XCTAssertEqual(suffix.code, -32602)
        XCTAssertEqual(suffix.data?["field"], "suffix", suffix.message)
        XCTAssertEqual(try rowFiles().count, 1)
        _ = daemon.stop()
    }

    func testEvaluatingMoreRowsThanTheBudgetHoldsIsRefusedAtDatasetWithTheWayOut() throws {
        let path = try csv(rows: 20_000)
        let daemon = try TestDaemon(stateDirectory: state) { $0.memoryBudgetBytes = 1_200_000 }
        let client = try daemon.client()
        _ = try client.call("dataset/load", params: ["path": .string(path), "name": "big", "storage": "disk"])
        _ = try client.call("model/train", params: ["dataset": "big", "name": "m", "loss": ["type": "wce"]])
        // Probabilities twice (8 bytes a class a row), the positive column, two rankings: 1.6 MB.
        let refused = try XCTUnwrap(client.rpcError("model/evaluate", ["model": "m", "dataset": "big"]))
        XCTAssertEqual(refused.code, -32011)
        XCTAssertEqual(refused.data?["field"], "dataset")
        XCTAssertTrue(refused.message.contains("curves: false"), refused.message)
        // Without the curves it fits, and the budget is given back afterwards.
        let report = try client.call("model/evaluate", params: ["model": "m", "dataset": "big", "curves": false])
        XCTAssertNotNil(report["positive"]?["recall"]?.doubleValue, "\(report)")
        XCTAssertNotNil(try client.call("model/evaluate", params: ["model": "m", "dataset": "big", "curves": false])["positive"])
        _ = daemon.stop()
    }
}
