import BallastClient
import BallastProtocol
import BallastStore
import Foundation
import XCTest
@testable import BallastServer

/// The workspace through a restart of a real daemon on one state directory: every model and every
/// kept dataset comes back as it was, what was not kept or cannot come back is reported with how
/// to make it again, the size policy evicts least recently used files, and `model/save` never
/// writes over the store's own files.
final class WorkspaceRestartTests: XCTestCase {
    private var folder: String!
    private var stateDirectory: String { folder + "/state" }

    override func setUpWithError() throws {
        folder = NSTemporaryDirectory() + "ballast-restart-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: folder)
    }

    private func daemon(_ configure: (inout ServerConfiguration) -> Void = { _ in }) throws -> TestDaemon {
        try TestDaemon(stateDirectory: stateDirectory, configure: configure)
    }

    private func names(_ list: JSONValue, _ key: String = "datasets") -> [String] {
        list[key]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? []
    }

    /// What must be identical after the restart, for each dataset and model.
    private func snapshot(_ client: Client, datasets: [String], models: [String]) throws -> [String: JSONValue] {
        var seen: [String: JSONValue] = [:]
        for name in datasets {
            seen["describe " + name] = try client.call("dataset/describe", params: ["dataset": .string(name)])
            seen["head " + name] = try client.call("dataset/head", params: ["dataset": .string(name), "rows": 50])
        }
        for name in models {
            seen["model " + name] = try client.call("model/describe", params: ["model": .string(name)])
            seen["predict " + name] = try client.call("model/predict", params: ["model": .string(name), "dataset": "cards.test"])
        }
        seen["model/list"] = try client.call("model/list")
        return seen
    }

    private func train(_ client: Client, name: String) throws -> JSONValue {
        var result = try XCTUnwrap(try client.call("model/train", params: [
            "dataset": "cards.train", "validation": "cards.validation", "name": .string(name), "loss": ["type": "wce"],
            "threshold": "best_f1", "seed": 3]).objectValue)
        for varying in ["seconds", "run", "model"] { result[varying] = nil }
        return .object(result)
    }

    func testEveryModelAndKeptDatasetComesBackAsItWasAndTheOthersAreReported() throws {
        let csv = folder + "/small.csv"
        try "id,amount,country,label\nr1,1.5,DE,no\nr2,,FR,yes\nr3,-2,DE,no\nr4,0.25,FR,no\n".write(toFile: csv, atomically: true, encoding: .utf8)
        let kept = ["cards", "cards.train", "cards.validation", "cards.test", "cards.train.smote", "small"]
        let models = ["m1", "m2"]
        let before: [String: JSONValue]
        let training: JSONValue
        let bytesUsed: JSONValue?
        do {
            let daemon = try daemon { $0.writeRoots = [self.folder] }
            let client = try daemon.client()
            XCTAssertEqual(try client.control("status")["state_dir"]?.stringValue, stateDirectory)
            try client.prepareCards(rows: 20_000)
            _ = try client.call("dataset/resample", params: ["dataset": "cards.train", "method": "smote", "seed": 2])
            _ = try client.call("dataset/load", params: ["path": .string(csv), "id": "id", "missing": "impute_mean"])
            let scratch = try client.call("dataset/generate", params: ["preset": "fraud", "rows": 500, "name": "scratch", "keep": false])
            training = try train(client, name: "m1")
            _ = try client.call("model/save", params: ["model": "m1", "path": .string(folder + "/m1.json")])
            _ = try client.call("model/load", params: ["path": .string(folder + "/m1.json"), "name": "m2"])
            _ = try client.call("model/train", params: ["dataset": "cards.train", "name": "gone"])
            _ = try client.call("model/drop", params: ["model": "gone"])
            before = try snapshot(client, datasets: kept, models: models)
            // Everything but the dataset not kept.
            bytesUsed = try client.call("dataset/list")["bytes_used"].flatMap(\.intValue).map { .int($0 - (scratch["bytes"]?.intValue ?? 0)) }
            XCTAssertEqual(daemon.stop(), 0)
            // After a clean stop the one file is the whole store: the write-ahead log is folded in.
            let log = (try? FileManager.default.attributesOfItem(atPath: stateDirectory + "/ballast.sqlite-wal"))?[.size] as? Int
            XCTAssertTrue(log == nil || log == 0, "ballast.sqlite-wal holds \(log ?? 0) bytes after a clean stop")
        }

        let daemon = try daemon()
        let client = try daemon.client()
        let list = try client.call("dataset/list")
        XCTAssertEqual(names(list).sorted(), kept.sorted())
        XCTAssertEqual(list["bytes_used"], bytesUsed, "datasets and models count against the memory budget as before")
        let unavailable = try XCTUnwrap(list["unavailable"]?.arrayValue)
        XCTAssertEqual(unavailable.map { $0["name"] }, ["scratch"])
        XCTAssertEqual(unavailable.first?["reason"], "not_kept")
        XCTAssertEqual(unavailable.first?["provenance"]?["method"], "dataset/generate")
        XCTAssertEqual(unavailable.first?["provenance"]?["params"]?["rows"], 500)
        XCTAssertEqual(names(try client.call("model/list"), "models"), models)

        let after = try snapshot(client, datasets: kept, models: models)
        for key in before.keys.sorted() { XCTAssertEqual(after[key], before[key], key) }
        XCTAssertEqual(after["describe small"]?["fingerprint"]?.stringValue?.count, 64)
        XCTAssertEqual(try train(client, name: "m3"), training, "a training on restored data gives the same result")

        let gone = client.rpcError("dataset/describe", ["dataset": "scratch"])
        XCTAssertEqual(gone?.code, ErrorCode.notFound)
        XCTAssertEqual(gone?.data?["reason"], "not_kept")
    }

    private func columnFiles() throws -> [String: String] {
        let store = try Store(directory: URL(fileURLWithPath: stateDirectory))
        defer { try? store.close() }
        return Dictionary(uniqueKeysWithValues: try store.datasets().readable.compactMap { row in row.file.map { (row.name, $0) } })
    }

    func testADamagedATruncatedAndAMissingFileAreReportedAndTheOthersLoad() throws {
        do {
            let daemon = try daemon()
            let client = try daemon.client()
            for name in ["flipped", "cut", "lost", "fine"] {
                _ = try client.call("dataset/generate", params: ["preset": "fraud", "rows": 400, "name": .string(name)])
            }
            daemon.stop()
        }
        let files = try columnFiles()
        let datasets = stateDirectory + "/datasets/"
        var flipped = try Data(contentsOf: URL(fileURLWithPath: datasets + files["flipped"]!))
        flipped[flipped.count - 100] ^= 0x40
        try flipped.write(to: URL(fileURLWithPath: datasets + files["flipped"]!))
        let cut = try XCTUnwrap(FileManager.default.attributesOfItem(atPath: datasets + files["cut"]!)[.size] as? Int)
        XCTAssertEqual(truncate(datasets + files["cut"]!, off_t(cut / 2)), 0)
        try FileManager.default.removeItem(atPath: datasets + files["lost"]!)

        let daemon = try daemon()
        let client = try daemon.client()
        let list = try client.call("dataset/list")
        XCTAssertEqual(names(list), ["fine"])
        let unavailable = try XCTUnwrap(list["unavailable"]?.arrayValue)
        let reasons = Dictionary(uniqueKeysWithValues: unavailable.map { ($0["name"]!.stringValue!, $0["reason"]!.stringValue!) })
        XCTAssertEqual(reasons, ["flipped": "damaged", "cut": "damaged", "lost": "missing"])
        for entry in unavailable {
            let message = try XCTUnwrap(entry["message"]?.stringValue)
            XCTAssertTrue(message.contains("dataset/generate"), "says how to make it again: \(message)")
        }
        XCTAssertTrue(unavailable.first { $0["name"] == "cut" }?["message"]?.stringValue?.contains("truncated") ?? false)

        // Dropping forgets one; making one again under its name replaces the report.
        XCTAssertEqual(try client.call("dataset/drop", params: ["dataset": "lost"])["bytes_freed"], 0)
        _ = try client.call("dataset/generate", params: ["preset": "fraud", "rows": 400, "name": "cut"])
        XCTAssertEqual(names(try client.call("dataset/list"), "unavailable"), ["flipped"])
        daemon.stop()
        XCTAssertNil(try columnFiles()["lost"])
    }

    /// Three datasets whose files hold about 17 kB each under a limit of 40 kB: the one used least
    /// recently loses its file when the third is made, keeps its provenance, and is reported at
    /// the next start.
    func testTheLeastRecentlyUsedFileIsEvictedUnderStateMaxBytesAndItsProvenanceStays() throws {
        do {
            let daemon = try daemon { $0.stateMaxBytes = 40_000 }
            let client = try daemon.client()
            for name in ["a", "b"] {
                _ = try client.call("dataset/generate", params: ["name": .string(name), "rows": 400, "features": 10, "seed": 1])
            }
            _ = try client.call("dataset/describe", params: ["dataset": "a"])  // b is now the least recently used
            _ = try client.call("dataset/generate", params: ["name": "c", "rows": 400, "features": 10, "seed": 1])
            XCTAssertEqual(names(try client.call("dataset/list")), ["a", "b", "c"], "an evicted dataset stays in memory")
            daemon.stop()
        }
        XCTAssertEqual(try columnFiles().keys.sorted(), ["a", "c"])
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: stateDirectory + "/datasets").count, 2)

        let daemon = try daemon { $0.stateMaxBytes = 40_000 }
        let client = try daemon.client()
        let list = try client.call("dataset/list")
        XCTAssertEqual(names(list), ["a", "c"])
        let evicted = try XCTUnwrap(list["unavailable"]?.arrayValue?.first)
        XCTAssertEqual(evicted["name"], "b")
        XCTAssertEqual(evicted["reason"], "evicted")
        XCTAssertEqual(evicted["provenance"]?["params"], ["name": "b", "rows": 400, "features": 10, "seed": 1])
    }

    func testNothingIsKeptWithNoKeepDatasetsButModelsAre() throws {
        do {
            let daemon = try daemon { $0.keepDatasets = false }
            let client = try daemon.client()
            try client.prepareCards(rows: 1_000)
            _ = try client.call("model/train", params: ["dataset": "cards.train", "name": "m"])
            daemon.stop()
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: stateDirectory + "/datasets"), [])
        let daemon = try daemon()
        let client = try daemon.client()
        let list = try client.call("dataset/list")
        XCTAssertEqual(names(list), [])
        XCTAssertEqual(names(list, "unavailable"), ["cards", "cards.test", "cards.train", "cards.validation"])
        XCTAssertEqual(list["unavailable"]?.arrayValue?.first { $0["name"] == "cards.train" }?["provenance"]?["sources"],
                       [["name": "cards", "fingerprint": .string(try XCTUnwrap(list["unavailable"]?.arrayValue?.first { $0["name"] == "cards" }?["fingerprint"]?.stringValue))]])
        XCTAssertEqual(names(try client.call("model/list"), "models"), ["m"])
    }

    func testModelSaveNeverWritesOverTheStoresFiles() throws {
        let state = stateDirectory
        let daemon = try daemon { $0.writeRoots = [state] }
        let client = try daemon.client()
        _ = try client.call("dataset/generate", params: ["preset": "fraud", "rows": 500, "name": "d"])
        _ = try client.call("model/train", params: ["dataset": "d", "name": "m"])
        let datasetFile = try XCTUnwrap(try FileManager.default.contentsOfDirectory(atPath: state + "/datasets").first)
        for target in ["ballast.sqlite", "ballast.sqlite-wal", "ballast.sqlite-shm", "ballastd.lock", "datasets/" + datasetFile,
                       "datasets/new.json"] {
            let refused = client.rpcError("model/save", ["model": "m", "path": .string(state + "/" + target)])
            XCTAssertEqual(refused?.code, ErrorCode.invalidParams, target)
            XCTAssertEqual(refused?.data?["kind"], "store_file", target)
        }
        XCTAssertNotNil(try client.call("model/save", params: ["model": "m", "path": .string(state + "/m.json")]))
    }
}
