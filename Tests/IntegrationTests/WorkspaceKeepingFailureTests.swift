import BallastML
import BallastProtocol
import BallastStore
import Foundation
import XCTest
@testable import BallastServer

/// What keeps models and datasets when the store or its files misbehave: a request the store
/// cannot record is refused and changes nothing, a full disk is -32011, a file name edited into
/// the store never reaches outside the datasets folder, and a dataset that no longer fits the
/// memory budget is judged from its header before it is read.
final class WorkspaceKeepingFailureTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("ballast-keeping-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: folder)
    }

    private func dataset(_ value: Float) -> Dataset {
        Dataset(featureNames: ["x"], features: [value, 1, 2, 3], classIndex: [0, 1, 0, 1], classLabels: ["0", "1"], positiveClass: 1)
    }

    private func keeper(_ store: Store, log: Log = Log(minimum: .critical)) throws -> DatasetKeeper {
        DatasetKeeper(store: store, folder: try XCTUnwrap(store.datasetFolder), keepsDatasets: true, maxBytes: nil, log: log)
    }

    private func generated() throws -> DatasetProvenance {
        DatasetProvenance(DatasetGenerate.self, try DatasetGenerate.Params.decodeChecked(from: ["name": "d"]), keep: nil)
    }

    func testADatasetTheStoreCannotRecordIsRefusedAndTheOldDataStaysEverywhere() throws {
        let store = try Store(directory: folder)
        let workspace = Workspace(memoryBudget: 1 << 30)
        workspace.keep(with: try keeper(store))
        try workspace.store("d", .init(dataset: dataset(100), origin: .generated, missingPerFeature: [0]), madeBy: try generated())
        let kept = try workspace.entry("d").fingerprint
        let used = workspace.bytesUsed
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path + "/datasets").sorted()
        try store.close()  // every write from now on fails

        let bigger = Dataset(featureNames: ["x"], features: [200, 1, 2, 3, 4, 5], classIndex: [0, 1, 0, 1, 0, 1],
                             classLabels: ["0", "1"], positiveClass: 1)
        XCTAssertThrowsError(try workspace.store("d", .init(dataset: bigger, origin: .generated, missingPerFeature: [0]),
                                                 madeBy: try generated())) { error in
            let error = error as? RPCError
            XCTAssertEqual(error?.code, ErrorCode.internalError)
            XCTAssertEqual(error?.data?["reason"], "store_failed")
            XCTAssertTrue(error?.message.contains("'d'") ?? false, "\(String(describing: error?.message))")
        }
        XCTAssertThrowsError(try workspace.store("e", .init(dataset: bigger, origin: .generated, missingPerFeature: [0]),
                                                 madeBy: try generated()))
        XCTAssertEqual(try workspace.entry("d").fingerprint, kept, "memory keeps the old data")
        XCTAssertEqual(workspace.datasetNames, ["d"])
        XCTAssertEqual(workspace.bytesUsed, used, "the budget holds what it held")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path + "/datasets").sorted(), files, "the new files are gone")

        let reopened = try Store(directory: folder)
        defer { try? reopened.close() }
        let again = Workspace(memoryBudget: 1 << 30)
        XCTAssertEqual(try keeper(reopened).restore(into: again).names, ["d"])
        XCTAssertEqual(try again.entry("d").fingerprint, kept)
    }

    func testAModelTheStoreCannotKeepIsRefusedAndChangesNothing() throws {
        let daemon = try TestDaemon()
        let client = try daemon.client()
        _ = try client.call("dataset/generate", params: ["preset": "fraud", "rows": 300, "name": "d", "seed": 1])
        _ = try client.call("model/train", params: ["dataset": "d", "name": "m"])
        let entry = try daemon.server.models.entry("m")
        let store = try Store(directory: folder)
        let budget = MemoryBudget(limit: 1 << 30)
        let models = Models(budget: budget)
        models.keep(with: ModelKeeper(store: store))
        try models.store("m", entry)
        let used = budget.used
        try store.close()
        XCTAssertThrowsError(try models.store("m2", entry)) { error in
            XCTAssertEqual((error as? RPCError)?.data?["reason"], "store_failed")
        }
        XCTAssertThrowsError(try models.drop("m"))
        XCTAssertEqual(models.names, ["m"])
        XCTAssertEqual(budget.used, used)
    }

    /// SQLite's SQLITE_FULL (13) is the disk_full answer, as ENOSPC on a column file is.
    func testAFullDiskIsResourceLimitForModelsAndDatasetsAlike() {
        let full = StoreError.database(code: 13, message: "database or disk is full").rpcError(keeping: "The model 'm'")
        XCTAssertEqual(full.code, ErrorCode.resourceLimit)
        XCTAssertEqual(full.data?["reason"], "disk_full")
        let other = StoreError.database(code: 10 | (3 << 8), message: "disk I/O error").rpcError(keeping: "The model 'm'")
        XCTAssertEqual(other.code, ErrorCode.internalError)
        XCTAssertEqual(other.data?["reason"], "store_failed")
        let file = DatasetFileError.system(file: "/x", step: "writing", code: ENOSPC).rpcError(keeping: "d")
        XCTAssertEqual(file.code, ErrorCode.resourceLimit)
        XCTAssertEqual(file.data?["reason"], "disk_full")
    }

    private func daemon(budget: Int? = nil) throws -> TestDaemon {
        try TestDaemon(stateDirectory: folder.path + "/state") { configuration in
            if let budget { configuration.memoryBudgetBytes = budget }
        }
    }

    /// A row edited to name `../ballast.sqlite`: reported damaged, and neither a drop nor a
    /// replacement removes the store.
    func testAFileNameOutsideTheDatasetsFolderIsDamagedAndNeverRemoved() throws {
        do {
            let daemon = try daemon()
            let client = try daemon.client()
            for name in ["dropped", "replaced", "fine"] {
                _ = try client.call("dataset/generate", params: ["preset": "fraud", "rows": 1_000, "name": .string(name)])
            }
            daemon.stop()
        }
        let storePath = folder.path + "/state/" + Store.fileName
        do {
            let store = try Store(directory: URL(fileURLWithPath: folder.path + "/state"))
            defer { try? store.close() }
            let rows = try store.datasets().readable.filter { $0.name != "fine" }.map { row in
                var row = row
                row.file = row.name == "dropped" ? "../" + Store.fileName : ".."
                return row
            }
            try store.keepDatasets(rows)
        }
        let daemon = try daemon()
        let client = try daemon.client()
        let list = try client.call("dataset/list")
        XCTAssertEqual(list["datasets"]?.arrayValue?.map { $0["name"] }, ["fine"])
        let unavailable = try XCTUnwrap(list["unavailable"]?.arrayValue)
        XCTAssertEqual(unavailable.map { $0["name"] }, ["dropped", "replaced"])
        XCTAssertEqual(unavailable.map { $0["reason"] }, ["damaged", "damaged"])
        _ = try client.call("dataset/drop", params: ["dataset": "dropped"])
        _ = try client.call("dataset/generate", params: ["preset": "fraud", "rows": 1_000, "name": "replaced"])
        XCTAssertTrue(FileManager.default.fileExists(atPath: storePath), "the store is still there")
        XCTAssertEqual(try client.call("dataset/list")["datasets"]?.arrayValue?.map { $0["name"] }, ["fine", "replaced"])
        XCTAssertEqual(daemon.stop(), 0)
        let store = try Store(directory: URL(fileURLWithPath: folder.path + "/state"))
        defer { try? store.close() }
        XCTAssertEqual(try store.datasets().readable.map(\.name), ["fine", "replaced"])
    }

    /// The file's data is damaged on purpose: had it been read, it would be reported `damaged`;
    /// reported `over_budget`, it was judged from its header alone.
    func testADatasetOverALoweredBudgetIsReportedFromItsHeaderWithoutBeingRead() throws {
        do {
            let daemon = try daemon()
            let client = try daemon.client()
            _ = try client.call("dataset/generate", params: ["name": "big", "rows": 20_000, "features": 20, "seed": 1])
            _ = try client.call("dataset/generate", params: ["name": "small", "rows": 100, "features": 2, "seed": 1])
            daemon.stop()
        }
        let store = try Store(directory: URL(fileURLWithPath: folder.path + "/state"))
        let file = try XCTUnwrap(try store.datasets().readable.first { $0.name == "big" }?.file)
        try store.close()
        let path = folder.path + "/state/datasets/" + file
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        bytes[bytes.count - 100] ^= 0x40
        try bytes.write(to: URL(fileURLWithPath: path))

        let daemon = try daemon(budget: 1_000_000)
        let client = try daemon.client()
        let list = try client.call("dataset/list")
        XCTAssertEqual(list["datasets"]?.arrayValue?.map { $0["name"] }, ["small"])
        let big = try XCTUnwrap(list["unavailable"]?.arrayValue?.first)
        XCTAssertEqual(big["name"], "big")
        XCTAssertEqual(big["reason"], "over_budget")
        XCTAssertTrue(big["message"]?.stringValue?.contains("1.7 MB") ?? false, "20,000 rows × 21 × 4 bytes: \(big)")
    }

    /// A kept model that no longer fits the budget is listed by `model/list` under `unavailable`,
    /// is -32001 with its reason for `model/describe`, and `model/drop` forgets it for good.
    func testAModelThatDoesNotComeBackIsListedAndCanBeForgotten() throws {
        do {
            let daemon = try daemon()
            let client = try daemon.client()
            _ = try client.call("dataset/generate", params: ["preset": "fraud", "rows": 1_000, "name": "d", "keep": false])
            _ = try client.call("model/train", params: ["dataset": "d", "name": "m"])
            XCTAssertNil(try client.call("model/list")["unavailable"], "absent when every model is there")
            daemon.stop()
        }
        do {
            let daemon = try daemon(budget: 500)
            let client = try daemon.client()
            let list = try client.call("model/list")
            XCTAssertEqual(list["models"], [])
            let unavailable = try XCTUnwrap(list["unavailable"]?.arrayValue)
            XCTAssertEqual(unavailable.map { $0["name"] }, ["m"])
            XCTAssertEqual(unavailable.first?["reason"], "over_budget")
            XCTAssertTrue(unavailable.first?["message"]?.stringValue?.contains("memory budget") ?? false, "\(unavailable)")
            let described = client.rpcError("model/describe", ["model": "m"])
            XCTAssertEqual(described?.code, ErrorCode.notFound)
            XCTAssertEqual(described?.data?["reason"], "over_budget")
            daemon.stop()
        }
        do {
            let daemon = try daemon()
            let client = try daemon.client()
            XCTAssertEqual(try client.call("model/list")["models"]?.arrayValue?.map { $0["name"] }, ["m"], "kept for a later start")
            daemon.stop()
        }
        let daemon = try daemon(budget: 500)
        let client = try daemon.client()
        XCTAssertEqual(try client.call("model/drop", params: ["model": "m"])["dropped"], "m")
        XCTAssertNil(try client.call("model/list")["unavailable"])
        daemon.stop()
        let again = try self.daemon()
        XCTAssertEqual(try again.client().call("model/list"), ["models": []])
    }

    func testADropTheStoreCannotRecordIsRefusedAndTheDatasetStays() throws {
        let store = try Store(directory: folder)
        let workspace = Workspace(memoryBudget: 1 << 30)
        workspace.keep(with: try keeper(store))
        _ = try workspace.store("d", .init(dataset: dataset(100), origin: .generated, missingPerFeature: [0]), madeBy: try generated())
        workspace.setUnavailable([DatasetUnavailable(name: "u", reason: .evicted, message: "evicted")])
        let used = workspace.bytesUsed
        try store.close()  // every write from now on fails

        for name in ["d", "u"] {
            XCTAssertThrowsError(try workspace.drop(name)) { error in
                let error = error as? RPCError
                XCTAssertEqual(error?.code, ErrorCode.internalError)
                XCTAssertEqual(error?.data?["reason"], "store_failed")
                XCTAssertTrue(error?.message.contains("'\(name)'") ?? false, "\(String(describing: error?.message))")
            }
        }
        XCTAssertEqual(workspace.datasetNames, ["d"], "the dataset stays in memory")
        XCTAssertEqual(workspace.bytesUsed, used, "and in the budget")
        XCTAssertEqual(workspace.unavailable.map(\.name), ["u"], "the unavailable one stays listed")
    }

    func testAnUnnamedTrainingNeverTakesTheNameOfAKeptModelThatDidNotComeBack() {
        let models = Models(budget: MemoryBudget(limit: 1 << 30))
        models.setUnavailable([ModelUnavailable(name: "m1", reason: .damaged, message: "damaged")])
        XCTAssertEqual(models.freeName(), "m2")
    }
}
