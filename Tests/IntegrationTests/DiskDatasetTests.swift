import BallastClient
import BallastProtocol
import Foundation
import XCTest

/// `dataset/load` with `storage: "disk"` through a real daemon, with windows made tiny
/// (`BALLAST_LOAD_WINDOW_BYTES`) so records, quoted newlines, CRLFs and labels straddle windows:
/// the dataset equals the in-memory load of the same file bit for bit, trains to the same model,
/// lives in a private row file that goes with it, and errors name the file's lines.
final class DiskDatasetTests: XCTestCase {
    private var folder: String!

    override func setUpWithError() throws {
        folder = NSTemporaryDirectory() + "ballast-disk-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        setenv("BALLAST_LOAD_WINDOW_BYTES", "97", 1)
    }

    override func tearDownWithError() throws {
        unsetenv("BALLAST_LOAD_WINDOW_BYTES")
        try? FileManager.default.removeItem(atPath: folder)
    }

    private func write(_ name: String, _ text: String) throws -> String {
        let path = folder + "/" + name
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// Quoted ids with newlines and delimiters in them, CRLF line endings, a blank line, quoted
    /// numbers, and a class ("zz") first seen near the end, so label merging and sorting matter.
    private func awkwardFile(rows: Int = 1_500) -> String {
        var text = "id,amount,\"score\",label\r\n"
        for i in 0..<rows {
            let id = i % 7 == 0 ? "\"row \(i)\nsecond line, with a comma\"" : "r\(i)"
            let amount = i % 5 == 0 ? "\"\(Double(i) * 0.37 - 11.5)\"" : "\(Double(i) * 0.37 - 11.5)"
            let label = i > rows - 200 && i % 9 == 0 ? "zz" : (i % 11 == 0 ? "fraud" : "ok")
            text += "\(id),\(amount),\(Float(i % 13) / 3),\(label)\r\n"
            if i == 700 { text += "\r\n" }
        }
        return text
    }

    /// A model's parameters as `model/describe` gives them (`coef`/`intercept`, or `layers`).
    private func parameters(_ client: Client, model: String) throws -> JSONValue {
        try XCTUnwrap(client.call("model/describe", params: ["model": .string(model)])["parameters"])
    }

    func testADiskLoadEqualsTheInMemoryLoadAndTrainsTheSameModel() throws {
        let daemon = try TestDaemon()
        let client = try daemon.client()
        let path = try write("awkward.csv", awkwardFile())
        let memory = try client.call("dataset/load", params: ["path": .string(path), "name": "mem", "id": "id"])
        let disk = try client.call("dataset/load", params: ["path": .string(path), "name": "disk", "id": "id", "storage": "disk"])
        XCTAssertEqual(memory["dataset"]?["storage"], "memory")
        XCTAssertEqual(disk["dataset"]?["storage"], "disk")
        XCTAssertNil(memory["dataset"]?["disk_bytes"])
        XCTAssertEqual(disk["dataset"]?["disk_bytes"], .int(1_500 * 3 * 4))
        XCTAssertLessThan(try XCTUnwrap(disk["dataset"]?["bytes"]?.intValue), try XCTUnwrap(memory["dataset"]?["bytes"]?.intValue),
                          "a disk dataset holds its classes and ids in memory, not its features")
        for key in ["rows", "features", "feature_names", "classes", "positive", "imbalance_ratio"] {
            XCTAssertEqual(disk["dataset"]?[key], memory["dataset"]?[key], key)
        }
        XCTAssertEqual(disk["dataset"]?["classes"]?.arrayValue?.compactMap { $0["label"]?.stringValue }, ["fraud", "ok", "zz"])
        XCTAssertEqual(disk["warnings"], memory["warnings"])

        let fromMemory = try client.getAll("mem"), fromDisk = try client.getAll("disk")
        XCTAssertEqual(fromDisk.features.count, 1_500 * 2)
        XCTAssertTrue(fromDisk.features.map(\.bitPattern) == fromMemory.features.map(\.bitPattern), "the features differ in some bit")
        XCTAssertEqual(fromDisk.labels, fromMemory.labels)
        XCTAssertEqual(fromDisk.classes, fromMemory.classes)
        XCTAssertEqual(fromDisk.ids, fromMemory.ids)
        XCTAssertEqual(fromDisk.ids?[7], "row 7\nsecond line, with a comma")
        func fingerprint(_ name: String) throws -> JSONValue? {
            try client.call("dataset/describe", params: ["dataset": .string(name)])["fingerprint"]
        }
        XCTAssertEqual(try fingerprint("disk"), try fingerprint("mem"))

        for (data, model) in [("mem", "m_mem"), ("disk", "m_disk")] {
            _ = try client.call("model/train", params: ["dataset": .string(data), "name": .string(model), "seed": 3,
                                                        "loss": ["type": "wce", "weights": ["scheme": "inverse"]]])
        }
        let a = try parameters(client, model: "m_mem"), b = try parameters(client, model: "m_disk")
        XCTAssertNotNil(a["layers"]?.arrayValue?.first, "three classes: a softmax model's layers")
        XCTAssertEqual(a, b, "training on the disk dataset gives the in-memory dataset's model")

        // A split of a disk dataset is an ordinary in-memory dataset.
        let split = try client.call("dataset/split", params: ["dataset": "disk", "test": 0.25, "seed": 1])
        XCTAssertEqual(split["datasets"]?.arrayValue?.compactMap { $0["storage"]?.stringValue }, ["memory", "memory"])
        let listed = try client.call("dataset/list")["datasets"]?.arrayValue?.first { $0["name"] == "disk" }
        XCTAssertEqual(listed?["storage"], "disk")
    }

    func testTheRowFileIsPrivateGoesWithItsDatasetAndStaleOnesGoAtStart() throws {
        let state = folder + "/state"
        try FileManager.default.createDirectory(atPath: state + "/spill", withIntermediateDirectories: true)
        let stale = state + "/spill/left-behind.rows"
        try Data([1, 2, 3]).write(to: URL(fileURLWithPath: stale))
        let daemon = try TestDaemon(stateDirectory: state)
        let client = try daemon.client()
        XCTAssertFalse(FileManager.default.fileExists(atPath: stale), "a row file an earlier daemon left is removed at start")
        let path = try write("plain.csv", "a,b,label\n" + (0..<300).map { "\($0),\($0 % 7),\($0 % 4 == 0 ? 1 : 0)\n" }.joined())
        _ = try client.call("dataset/load", params: ["path": .string(path), "name": "big", "storage": "disk"])
        func rowFiles(_ subfolder: String) throws -> [String] {
            try FileManager.default.contentsOfDirectory(atPath: state + "/" + subfolder).filter { $0.hasSuffix(".rows") }
        }
        // Kept (the default): the row file is written straight into the datasets folder.
        let kept = try rowFiles("datasets")
        XCTAssertEqual(kept.count, 1)
        XCTAssertEqual(try rowFiles("spill"), [])
        let attributes = try FileManager.default.attributesOfItem(atPath: state + "/datasets/" + kept[0])
        XCTAssertEqual((attributes[.posixPermissions] as? NSNumber)?.intValue, 0o600)

        // Replaced by a load that is not kept: the kept file goes, the new one is a spill file.
        _ = try client.call("dataset/load", params: ["path": .string(path), "name": "big", "storage": "disk", "keep": false])
        XCTAssertEqual(try rowFiles("datasets"), [])
        let spilled = try rowFiles("spill")
        XCTAssertEqual(spilled.count, 1)
        let spillAttributes = try FileManager.default.attributesOfItem(atPath: state + "/spill/" + spilled[0])
        XCTAssertEqual((spillAttributes[.posixPermissions] as? NSNumber)?.intValue, 0o600)
        let folderAttributes = try FileManager.default.attributesOfItem(atPath: state + "/spill")
        XCTAssertEqual((folderAttributes[.posixPermissions] as? NSNumber)?.intValue, 0o700)
        _ = try client.call("dataset/drop", params: ["dataset": "big"])
        XCTAssertEqual(try rowFiles("spill"), [], "dropping a disk dataset deletes its row file")

        // A daemon that stops takes the spill files of datasets not kept with it.
        _ = try client.call("dataset/load", params: ["path": .string(path), "name": "again", "storage": "disk", "keep": false])
        XCTAssertEqual(try rowFiles("spill").count, 1)
        _ = daemon.stop()
        XCTAssertEqual(try rowFiles("spill"), [], "stopping removes the spill files")
        // The next daemon says why it is gone, and how to load it again.
        let next = try TestDaemon(stateDirectory: state)
        let listed = try next.client().call("dataset/list")
        let gone = try XCTUnwrap(listed["unavailable"]?.arrayValue?.first { $0["name"] == "again" }, "\(listed)")
        XCTAssertEqual(gone["reason"], "not_kept")
        XCTAssertTrue(gone["message"]?.stringValue?.contains("\"keep\": false") == true, "\(gone)")
        _ = next.stop()
    }

    func testErrorsNameTheFilesLinesAcrossWindows() throws {
        let daemon = try TestDaemon()
        let client = try daemon.client()
        func refusals(_ text: String, _ extra: [String: JSONValue] = [:]) throws -> (memory: RPCError, disk: RPCError) {
            let path = try write("bad-\(UUID().uuidString).csv", text)
            var params: [String: JSONValue] = ["path": .string(path)]
            params.merge(extra) { $1 }
            let memory = try XCTUnwrap(client.rpcError("dataset/load", .object(params)), "loaded in memory")
            params["storage"] = "disk"
            let disk = try XCTUnwrap(client.rpcError("dataset/load", .object(params)), "loaded to disk")
            return (memory, disk)
        }
        var rows = (0..<400).map { "\($0),\"q\n\($0)\",\($0 % 3 == 0 ? "a" : "b")" }
        rows[250] = "250,\"q\",oops,b"
        let ragged = try refusals("x,note,label\n" + rows.joined(separator: "\n") + "\n", ["ignore": ["note"]])
        XCTAssertEqual(ragged.disk.data?["kind"], "ragged_row")
        XCTAssertEqual(ragged.disk.data?["line"], .int(Int64(2 + 250 * 2)), "each earlier record spans two lines")
        XCTAssertEqual(ragged.disk.data?["line"], ragged.memory.data?["line"])

        var numbers = (0..<500).map { "\($0),\($0 % 4 == 0 ? "y" : "n")" }
        numbers[333] = "12abc,n"
        let text = try refusals("v,label\n" + numbers.joined(separator: "\n") + "\n")
        XCTAssertEqual(text.disk.data?["kind"], "not_numeric")
        XCTAssertEqual(text.disk.data?["line"], 335)
        XCTAssertEqual(text.disk.message, text.memory.message)

        let unclosed = try refusals("v,label\n" + (0..<100).map { "\($0),\($0 % 2)" }.joined(separator: "\n") + "\n1,\"0\n2,1\n")
        XCTAssertEqual(unclosed.disk.data?["kind"], unclosed.memory.data?["kind"])
        XCTAssertEqual(unclosed.disk.data?["line"], unclosed.memory.data?["line"])
    }

    func testWhatNeedsTheWholeFileIsRefusedAtStorageBeforeReading() throws {
        let daemon = try TestDaemon()
        let client = try daemon.client()
        let path = try write("text.csv", "amount,country,label\n" + (0..<200).map { "\($0),\(["DE", "FR"][$0 % 2]),\($0 % 5 == 0 ? 1 : 0)\n" }.joined())
        let refused = try XCTUnwrap(client.rpcError("dataset/load", ["path": .string(path), "storage": "disk"]))
        XCTAssertEqual(refused.code, ErrorCode.invalidParams)
        XCTAssertEqual(refused.data?["field"], "storage")
        XCTAssertEqual(refused.data?["column"], "country")
        XCTAssertTrue(refused.message.contains("storage=disk needs numeric features"), refused.message)
        XCTAssertTrue(refused.message.contains("'country'"), refused.message)
        // Left out, the rest loads.
        let loaded = try client.call("dataset/load", params: ["path": .string(path), "storage": "disk", "ignore": ["country"]])
        XCTAssertEqual(loaded["dataset"]?["rows"], 200)

        _ = try client.call("dataset/load", params: ["path": .string(path), "name": "train"])
        for extra: [String: JSONValue] in [["schema": "train"], ["missing": "impute_mean"]] {
            var params: [String: JSONValue] = ["path": .string(path), "storage": "disk"]
            params.merge(extra) { $1 }
            let error = try XCTUnwrap(client.rpcError("dataset/load", .object(params)), "\(extra)")
            XCTAssertEqual(error.code, ErrorCode.invalidParams)
            XCTAssertEqual(error.data?["field"], "storage", "\(extra)")
        }
        XCTAssertEqual(client.rpcError("dataset/load", ["path": .string(path), "storage": "tape"])?.data?["field"], "storage")
    }

    /// With the daemon's own window (64 MiB) a budget of a few MB could not take even the window:
    /// the window shrinks to what is free, so a file several times the budget loads to disk.
    func testUnderASmallBudgetTheWindowShrinksToWhatIsFree() throws {
        unsetenv("BALLAST_LOAD_WINDOW_BYTES")
        let daemon = try TestDaemon { $0.memoryBudgetBytes = 4_000_000 }
        let client = try daemon.client()
        let columns = (1...12).map { "x\($0)" }.joined(separator: ",")
        let path = try write("long.csv", columns + ",label\n" + (0..<150_000).map { row in
            (1...12).map { "\((row * $0) % 1000).125" }.joined(separator: ",") + (row % 50 == 0 ? ",1\n" : ",0\n")
        }.joined())
        let size = try XCTUnwrap(FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
        XCTAssertGreaterThan(size, 2 * 4_000_000, "the file is several times the budget")
        let loaded = try client.call("dataset/load", params: ["path": .string(path), "storage": "disk"])
        XCTAssertEqual(loaded["dataset"]?["rows"], 150_000)
    }

    func testAFileTooBigForTheBudgetInMemoryLoadsToDisk() throws {
        let daemon = try TestDaemon { $0.memoryBudgetBytes = 200_000 }
        let client = try daemon.client()
        setenv("BALLAST_LOAD_WINDOW_BYTES", "4096", 1)
        let path = try write("wide.csv", "a,b,c,d,e,f,label\n"
            + (0..<8_000).map { "\($0),\($0 * 3),\($0 % 17),\($0 % 5),\($0 % 3),\($0 % 11),\($0 % 10 == 0 ? 1 : 0)\n" }.joined())
        let refused = try XCTUnwrap(client.rpcError("dataset/load", ["path": .string(path)]))
        XCTAssertEqual(refused.code, ErrorCode.resourceLimit)
        XCTAssertTrue(refused.message.contains("storage=\"disk\""), refused.message)
        let loaded = try client.call("dataset/load", params: ["path": .string(path), "storage": "disk"])
        XCTAssertEqual(loaded["dataset"]?["rows"], 8_000)
        XCTAssertEqual(loaded["dataset"]?["bytes"], .int(8_000 * 4), "only the classes are held in memory")
        // Whatever copies its rows into memory is refused before a row is copied, at the field
        // that named the dataset, and the daemon goes on serving.
        let copies: [(method: String, params: JSONValue, field: String)] = [
            ("dataset/split", ["dataset": "wide", "test": 0.5], "dataset"),
            ("dataset/kfold", ["dataset": "wide", "folds": 3, "materialize": true], "dataset"),
            ("dataset/standardize", ["fit": "wide"], "apply[0]"),
            ("dataset/resample", ["dataset": "wide", "method": "over"], "dataset"),
            ("model/train", ["dataset": "wide", "resample": ["method": "under"]], "resample"),
            ("experiment/sweep", ["dataset": "wide", "param": "w", "grid": [0.5, 0.9], "folds": 3], "dataset"),
            ("experiment/compare", ["train": "wide", "test": "wide", "arms": ["ce", "smote"]], "arms[1]"),
        ]
        for copy in copies {
            let refused = try XCTUnwrap(client.rpcError(copy.method, copy.params), copy.method)
            XCTAssertEqual(refused.code, ErrorCode.resourceLimit, "\(copy.method): \(refused.message)")
            XCTAssertEqual(refused.data?["field"], .string(copy.field), copy.method)
            XCTAssertEqual(refused.data?["storage"], "disk", copy.method)
            XCTAssertTrue(refused.message.contains("rows of a disk dataset into memory"), refused.message)
        }
        _ = try client.call("model/train", params: ["dataset": "wide", "name": "m"])
    }
}
