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

        // A split of a disk dataset is made of row-index views of its row file (more in
        // testSplitsAndFoldsOfADiskDatasetAreViewsThatNeedNoRoomForACopy).
        let split = try client.call("dataset/split", params: ["dataset": "disk", "test": 0.25, "seed": 1])
        XCTAssertEqual(split["datasets"]?.arrayValue?.compactMap { $0["storage"]?.stringValue }, ["disk", "disk"])
        XCTAssertEqual(split["datasets"]?.arrayValue?.compactMap { $0["view"]?.boolValue }, [true, true])
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
        // Whatever copies its rows into memory (writes new values or makes new rows) is refused
        // before a row is copied, at the field that named the dataset, and the daemon goes on
        // serving. Splits, folds and over/under-sampling make views instead (tested below).
        let copies: [(method: String, params: JSONValue, field: String)] = [
            ("dataset/resample", ["dataset": "wide", "method": "smote"], "dataset"),
            ("model/train", ["dataset": "wide", "resample": ["method": "smote"]], "resample"),
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
        // Under-sampling inside a training picks rows: a view, which fits where a copy would not.
        _ = try client.call("model/train", params: ["dataset": "wide", "name": "m_under", "resample": ["method": "under"]])
        let compared = try client.call("experiment/compare", params: ["train": "wide", "test": "wide", "arms": ["ce", "under"]])
        XCTAssertEqual(compared["rows"]?.arrayValue?.count, 2, "compare's under-sampling arm is a view too: \(compared)")
        // Standardizing writes new values, but into a new row file a chunk at a time: it stays on disk.
        let standardized = try client.call("dataset/standardize", params: ["fit": "wide"])
        XCTAssertEqual(standardized["outputs"]?["wide"], "wide.std")
        let listed = try client.call("dataset/list")["datasets"]?.arrayValue?.first { $0["name"] == "wide.std" }
        XCTAssertEqual(listed?["storage"], "disk")
        XCTAssertEqual(listed?["bytes"], .int(8_000 * 4))
    }

    /// 8,000 rows × 40 features: 1.3 MB of values, far more than the disk daemon's budget can copy.
    private func wideFile() throws -> String {
        let columns = (1...40).map { "x\($0)" }.joined(separator: ",")
        return try write("views.csv", columns + ",label\n" + (0..<8_000).map { row in
            (1...40).map { "\(Float((row * $0 + $0 * $0) % 997) / 97 - 5)" }.joined(separator: ",")
                + (row % 9 == 0 || (row % 7 == 0 && row % 3 == 1) ? ",1\n" : ",0\n")
        }.joined())
    }

    /// Splits and folds of a disk dataset are row-index views of its row file: under a budget far
    /// too small for a copy they are made anyway, hold only a map, classes (and ids) a row, say
    /// they are views, and train, evaluate and read exactly as the in-memory load's copies do.
    /// Dropping the base leaves the views working; its row file goes with the last of them.
    func testSplitsAndFoldsOfADiskDatasetAreViewsThatNeedNoRoomForACopy() throws {
        setenv("BALLAST_LOAD_WINDOW_BYTES", "65536", 1)
        let path = try wideFile()
        let state = folder + "/state"
        let disk = try TestDaemon(stateDirectory: state) { $0.memoryBudgetBytes = 1_000_000 }
        let memory = try TestDaemon()
        let onDisk = try disk.client(), inMemory = try memory.client()
        _ = try onDisk.call("dataset/load", params: ["path": .string(path), "name": "d", "storage": "disk", "keep": false])
        _ = try inMemory.call("dataset/load", params: ["path": .string(path), "name": "d", "keep": false])
        let copyBytes = 8_000 * 41 * 4
        XCTAssertGreaterThan(copyBytes, 1_000_000, "a copy of the rows could never fit the disk daemon's budget")

        var summaries: [String: JSONValue] = [:]
        for (index, client) in [onDisk, inMemory].enumerated() {
            let split = try client.call("dataset/split", params: ["dataset": "d", "test": 0.25, "seed": 4, "keep": false])
            if index == 0 {
                for part in split["datasets"]?.arrayValue ?? [] { summaries[part["name"]?.stringValue ?? "?"] = part }
            }
            _ = try client.call("dataset/kfold", params: ["dataset": "d", "folds": 3, "seed": 2, "materialize": true, "keep": false])
        }
        XCTAssertEqual(Set(summaries.keys), ["d.train", "d.test"])
        for (name, summary) in summaries {
            XCTAssertEqual(summary["storage"], "disk", name)
            XCTAssertEqual(summary["view"], true, name)
            let rows = try XCTUnwrap(summary["rows"]?.intValue)
            XCTAssertEqual(summary["bytes"], .int(rows * 8), "\(name): a map entry and a class a row")
            XCTAssertEqual(summary["disk_bytes"], .int(rows * 41 * 4), "\(name): the base's rows it reads")
            XCTAssertNil(summary["warnings"], "\(name): made with keep false, nothing to warn of")
        }
        let listed = try onDisk.call("dataset/list")["datasets"]?.arrayValue ?? []
        let folds = listed.filter { $0["name"]?.stringValue?.contains(".fold") == true }
        XCTAssertEqual(folds.count, 6)
        XCTAssertTrue(folds.allSatisfy { $0["view"] == true && $0["storage"] == "disk" }, "\(folds)")
        XCTAssertNil(listed.first { $0["name"] == "d" }?["view"], "the base is no view")

        // The parts are the in-memory copies' rows, bit for bit, with the same fingerprints.
        for name in ["d.train", "d.test", "d.fold2.train", "d.fold3.test"] {
            let a = try onDisk.getAll(name), b = try inMemory.getAll(name)
            XCTAssertTrue(a.features.map(\.bitPattern) == b.features.map(\.bitPattern), name)
            XCTAssertEqual(a.classes, b.classes, name)
            func fingerprint(_ client: Client) throws -> JSONValue? {
                try client.call("dataset/describe", params: ["dataset": .string(name)])["fingerprint"]
            }
            XCTAssertEqual(try fingerprint(onDisk), try fingerprint(inMemory), name)
        }

        // Training on the views gives the copies' models; evaluating on views gives their metrics.
        func trainAndEvaluate(_ client: Client, train: String, test: String, model: String,
                              extra: [String: JSONValue] = [:]) throws -> (JSONValue, JSONValue?) {
            var params: [String: JSONValue] = ["dataset": .string(train), "name": .string(model), "seed": 3]
            params.merge(extra) { $1 }
            _ = try client.call("model/train", params: .object(params))
            let evaluated = try client.call("model/evaluate", params: ["model": .string(model), "dataset": .string(test), "curves": false])
            let metrics = ["log_loss", "accuracy", "balanced_accuracy", "per_class", "pr_auc", "roc_auc", "mcc", "confusion", "brier"]
            return (try parameters(client, model: model), .object(Dictionary(uniqueKeysWithValues: metrics.map { ($0, evaluated[$0] ?? .null) })))
        }
        let runs: [(train: String, test: String, extra: [String: JSONValue])] = [
            ("d.train", "d.test", ["loss": ["type": "wce", "weights": ["scheme": "inverse"]]]),
            ("d.fold1.train", "d.fold1.test", [:]),
            ("d.fold3.train", "d.fold3.test", ["optimizer": ["type": "adam", "epochs": 2, "batch_size": 256]]),
        ]
        for (index, run) in runs.enumerated() {
            let viewed = try trainAndEvaluate(onDisk, train: run.train, test: run.test, model: "m\(index)", extra: run.extra)
            let copied = try trainAndEvaluate(inMemory, train: run.train, test: run.test, model: "m\(index)", extra: run.extra)
            XCTAssertEqual(viewed.0, copied.0, "\(run.train): the same model")
            XCTAssertNotNil(viewed.1?["log_loss"]?.doubleValue, "\(run.test): metrics")
            XCTAssertEqual(viewed.1, copied.1, "\(run.test): the same metrics")
        }

        // Standardizing views writes the scaled rows to new row files: the copies' values, bit for bit.
        var scalers: [JSONValue] = []
        for client in [onDisk, inMemory] {
            let scaled = try client.call("dataset/standardize", params: ["fit": "d.train", "apply": ["d.train", "d.test"], "keep": false])
            scalers.append(.array([scaled["mean"] ?? .null, scaled["scale"] ?? .null]))
        }
        XCTAssertEqual(scalers[0], scalers[1], "the fit on a view is the fit on the copy")
        for name in ["d.train.std", "d.test.std"] {
            let a = try onDisk.getAll(name), b = try inMemory.getAll(name)
            XCTAssertTrue(a.features.map(\.bitPattern) == b.features.map(\.bitPattern), name)
            XCTAssertEqual(a.classes, b.classes, name)
            let summary = try onDisk.call("dataset/list")["datasets"]?.arrayValue?.first { $0["name"] == .string(name) }
            XCTAssertEqual(summary?["storage"], "disk", name)
            XCTAssertNil(summary?["view"], "\(name) has a row file of its own")
            _ = try onDisk.call("dataset/drop", params: ["dataset": .string(name)])
        }

        // Kept (the default), a view says it will not survive a restart (its base does).
        let over = try onDisk.call("dataset/resample", params: ["dataset": "d.train", "method": "over", "name": "d.over"])
        XCTAssertEqual(over["view"], true)
        XCTAssertTrue(over["warnings"]?.arrayValue?.contains { $0.stringValue?.contains("not kept across restarts") == true } == true,
                      "\(over["warnings"] ?? .null)")
        _ = try onDisk.call("dataset/drop", params: ["dataset": "d.over"])

        // A sweep's folds are views too: it runs under the budget, and finds what the copies find.
        let sweep: JSONValue = ["dataset": "d", "param": "w", "grid": [0.5, 0.9], "folds": 3, "seed": 1]
        let swept = try onDisk.call("experiment/sweep", params: sweep), sweptCopies = try inMemory.call("experiment/sweep", params: sweep)
        XCTAssertNotNil(swept["results"]?.arrayValue?.first)
        XCTAssertEqual(swept["results"], sweptCopies["results"])
        XCTAssertEqual(swept["best"], sweptCopies["best"])
        // So are a tune's: weighed as views, it runs where copies of its folds would not fit.
        let tune: JSONValue = ["dataset": "d", "candidates": ["ce", "wce_balanced"], "folds": 3, "estimate": "none", "seed": 1,
                               "keep": false]
        let tuned = try onDisk.call("experiment/tune", params: tune), tunedCopies = try inMemory.call("experiment/tune", params: tune)
        func withoutTimes(_ board: JSONValue?) -> [JSONValue] {
            (board?.arrayValue ?? []).map { row in
                var fields = row.objectValue ?? [:]
                fields["seconds"] = nil
                return .object(fields)
            }
        }
        XCTAssertEqual(withoutTimes(tuned["leaderboard"]).count, 2)
        XCTAssertEqual(withoutTimes(tuned["leaderboard"]), withoutTimes(tunedCopies["leaderboard"]))

        // Dropping the base leaves its views readable: they hold its mapping, and its spill file
        // (it was loaded with keep false) stays, unlinked only when the last view goes.
        func rowFiles() throws -> [String] {
            try FileManager.default.contentsOfDirectory(atPath: state + "/spill").filter { $0.hasSuffix(".rows") }
        }
        XCTAssertEqual(try rowFiles().count, 1)
        _ = try onDisk.call("dataset/drop", params: ["dataset": "d"])
        XCTAssertEqual(try rowFiles().count, 1, "the views still read the row file")
        let again = try trainAndEvaluate(onDisk, train: "d.train", test: "d.test", model: "after",
                                         extra: ["loss": ["type": "wce", "weights": ["scheme": "inverse"]]])
        XCTAssertEqual(again.0, try parameters(onDisk, model: "m0"))
        for name in ["d.train", "d.test"] + (1...3).flatMap { ["d.fold\($0).train", "d.fold\($0).test"] } {
            _ = try onDisk.call("dataset/drop", params: ["dataset": .string(name)])
        }
        XCTAssertEqual(try rowFiles(), [], "the row file goes with the last view")
        _ = disk.stop()
        _ = memory.stop()
    }
}
