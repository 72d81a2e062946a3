import BallastClient
import BallastProtocol
import Foundation
import XCTest

/// Data from separate files is matched by column name, never by position: the case that used to
/// score garbage without a word (a `country` column with levels DE, FR, NL in training and
/// AT, DE, FR in the test file shifted every one-hot column after it).
final class SchemaTests: XCTestCase {
    private var folder: String!
    private var daemon: TestDaemon!
    private var client: Client!

    override func setUpWithError() throws {
        folder = NSTemporaryDirectory() + "ballast-schema-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let folder = folder!
        daemon = try TestDaemon { $0.writeRoots.append(folder) }
        client = try daemon.client()
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: folder)
    }

    /// A file of `rows` rows: amount, country (from `countries`, cycling), label 1 when amount > 6.
    private func file(_ name: String, countries: [String], rows: Int = 60, reversed: Bool = false) throws -> String {
        var text = reversed ? "label,country,amount\n" : "amount,country,label\n"
        for row in 0..<rows {
            let amount = Double(row % 10) + 0.5, country = countries[row % countries.count], label = amount > 6 ? 1 : 0
            text += reversed ? "\(label),\(country),\(amount)\n" : "\(amount),\(country),\(label)\n"
        }
        let path = folder + "/" + name
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    private func trainOnDEFRNL() throws {
        _ = try client.call("dataset/load", params: ["path": .string(try file("train.csv", countries: ["DE", "FR", "NL"])), "name": "train"])
        _ = try client.call("model/train", params: ["dataset": "train", "name": "m"])
    }

    func testAnUnseenLevelIsRefusedNamingTheColumnAndLevelOrEncodedAsZerosByOption() throws {
        try trainOnDEFRNL()
        _ = try client.call("dataset/load", params: ["path": .string(try file("test.csv", countries: ["AT", "DE", "FR"])), "name": "test"])
        // The test file's one-hot columns are country=AT, country=DE, country=FR: by position they
        // would be read as DE, FR, NL.
        let refused = client.rpcError("model/evaluate", ["model": "m", "dataset": "test"])
        XCTAssertEqual(refused?.code, ErrorCode.invalidParams)
        XCTAssertEqual(refused?.data?["field"], "dataset")
        XCTAssertTrue(refused?.message.contains("'country'") ?? false, refused?.message ?? "")
        XCTAssertTrue(refused?.message.contains("'AT' (20 rows)") ?? false, refused?.message ?? "")

        let zeros = try client.call("model/evaluate", params: ["model": "m", "dataset": "test", "unseen_levels": "zeros", "curves": false])
        let warnings = zeros["warnings"]?.arrayValue?.compactMap(\.stringValue) ?? []
        XCTAssertTrue(warnings.contains { $0.contains("20 rows of 'test'") && $0.contains("'AT' 20") }, "\(warnings)")
        XCTAssertEqual(zeros["confusion"]?.arrayValue?.flatMap { $0.arrayValue ?? [] }.compactMap(\.intValue).reduce(0, +), 60)
    }

    func testLoadingWithTheTrainingSchemaEncodesTheFileExactlyAsTrainingWas() throws {
        try trainOnDEFRNL()
        let refused = client.rpcError("dataset/load", ["path": .string(try file("test.csv", countries: ["AT", "DE", "FR"])),
                                                       "name": "test", "schema": "train"])
        XCTAssertEqual(refused?.data?["field"], "schema")
        XCTAssertTrue(refused?.message.contains("'AT'") ?? false)

        let loaded = try client.call("dataset/load", params: ["path": .string(try file("test.csv", countries: ["DE", "FR"])),
                                                              "name": "test", "schema": "m"])
        XCTAssertEqual(loaded["dataset"]?["feature_names"], ["amount", "country=DE", "country=FR", "country=NL"])
        let train = try client.call("dataset/describe", params: ["dataset": "train"])
        let test = try client.call("dataset/describe", params: ["dataset": "test"])
        XCTAssertEqual(test["columns"], train["columns"])
        XCTAssertEqual(train["columns"], [["name": "amount"], ["name": "country", "levels": ["DE", "FR", "NL"]]])
        // The level the file lacks is a zero column; the rows keep their own levels.
        let stats = try XCTUnwrap(test["feature_stats"]?.arrayValue)
        XCTAssertEqual(stats[3]["max"], 0)
        XCTAssertEqual(stats[1]["mean"]?.doubleValue ?? -1, 0.5, accuracy: 1e-12)
        XCTAssertNotNil(try client.call("model/evaluate", params: ["model": "m", "dataset": "test"])["positive"]?["f1"])
    }

    func testTheSameColumnsInAnotherOrderAreMatchedByNameAndTheResultSaysSo() throws {
        try trainOnDEFRNL()
        _ = try client.call("dataset/load", params: ["path": .string(try file("same.csv", countries: ["DE", "FR", "NL"])), "name": "same"])
        _ = try client.call("dataset/load", params: ["path": .string(try file("flipped.csv", countries: ["DE", "FR", "NL"], reversed: true)),
                                                     "name": "flipped", "label": "label"])
        let same = try client.call("model/evaluate", params: ["model": "m", "dataset": "same", "curves": false])
        let flipped = try client.call("model/evaluate", params: ["model": "m", "dataset": "flipped", "curves": false])
        XCTAssertNil(same["warnings"])
        XCTAssertEqual(flipped["log_loss"], same["log_loss"])
        XCTAssertEqual(flipped["confusion"], same["confusion"])
        XCTAssertEqual(flipped["warnings"], ["The columns of 'flipped' stood in another order; they were matched by name."])
    }

    func testMissingAndExtraColumnsAreRefusedByName() throws {
        try trainOnDEFRNL()
        let path = folder + "/narrow.csv"
        try Data("amount,label\n1.5,0\n7.5,1\n".utf8).write(to: URL(fileURLWithPath: path))
        _ = try client.call("dataset/load", params: ["path": .string(path), "name": "narrow"])
        let refused = client.rpcError("model/predict", ["model": "m", "dataset": "narrow"])
        XCTAssertEqual(refused?.message, "The data's columns differ from the ones it must match: it lacks 'country'.")
        _ = try client.call("dataset/generate", params: ["name": "other", "rows": 100, "features": 2])
        let both = client.rpcError("model/train", ["dataset": "train", "validation": "other"])
        XCTAssertEqual(both?.data?["field"], "validation")
        XCTAssertEqual(both?.message, "The data's columns differ from the ones it must match: it lacks 'amount', 'country' and it has 'x1', 'x2' besides.")
    }

    func testPredictTakesRowsByColumnNameWithTextLevels() throws {
        try trainOnDEFRNL()
        let named = try client.call("model/predict", params: ["model": "m", "rows": [["amount": 8.5, "country": "FR"], ["country": "NL", "amount": 0.5]]])
        let positional = try client.call("model/predict", params: ["model": "m", "rows": [[8.5, 0, 1, 0], [0.5, 0, 0, 1]]])
        XCTAssertEqual(named["probabilities"], positional["probabilities"])
        XCTAssertEqual(named["labels"], ["1", "0"])
        let unseen = client.rpcError("model/predict", ["model": "m", "rows": [["amount": 1, "country": "AT"]]])
        XCTAssertEqual(unseen?.data?["field"], "rows[0].country")
        XCTAssertEqual(client.rpcError("model/predict", ["model": "m", "rows": [["amount": 1]]])?.data?["field"], "rows[0].country")
        XCTAssertEqual(client.rpcError("model/predict", ["model": "m", "rows": [["amount": 1, "country": "DE", "age": 3]]])?.data?["field"],
                       "rows[0].age")
        let zeros = try client.call("model/predict", params: ["model": "m", "rows": [["amount": 8.5, "country": "AT"]], "unseen_levels": "zeros"])
        let zeroRow = try client.call("model/predict", params: ["model": "m", "rows": [[8.5, 0, 0, 0]]])
        XCTAssertEqual(zeros["probabilities"], zeroRow["probabilities"])
    }

    func testAModelFileKeepsItsTextColumns() throws {
        try trainOnDEFRNL()
        let path = folder + "/m.json"
        _ = try client.call("model/save", params: ["model": "m", "path": .string(path)])
        _ = try client.call("model/load", params: ["path": .string(path), "name": "again"])
        let described = try client.call("model/describe", params: ["model": "again"])
        XCTAssertEqual(described["columns"], [["name": "amount"], ["name": "country", "levels": ["DE", "FR", "NL"]]])
        let rows: JSONValue = [["amount": 8.5, "country": "FR"]]
        XCTAssertEqual(try client.call("model/predict", params: ["model": "again", "rows": rows])["probabilities"],
                       try client.call("model/predict", params: ["model": "m", "rows": rows])["probabilities"])
    }
}

/// `dataset/load`'s `columns`, `ignore` and `id` through the daemon: the id column of a file is
/// kept beside the data and comes back with predictions and `dataset/head`.
final class ColumnChoiceTests: XCTestCase {
    func testIdsComeBackWithPredictionsAndHead() throws {
        let folder = NSTemporaryDirectory() + "ballast-ids-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // A transaction id and a free-text note: as features the first is 200 text levels and the
        // second too many as well, so the file loads only when they are set aside.
        var text = "txn,amount,note,fraud\n"
        for row in 0..<200 { text += "t\(1000 + row),\(Double(row % 10) + 0.5),note \(row),\(row % 10 > 6 ? 1 : 0)\n" }
        let path = folder + "/txns.csv"
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        let daemon = try TestDaemon()
        let client = try daemon.client()

        let refused = client.rpcError("dataset/load", ["path": .string(path), "name": "txns"])
        XCTAssertEqual(refused?.code, ErrorCode.invalidData)
        XCTAssertTrue(refused?.message.contains("leave it out with ignore") ?? false, refused?.message ?? "")

        let loaded = try client.call("dataset/load", params: ["path": .string(path), "name": "txns", "id": "txn", "ignore": ["note"]])
        XCTAssertEqual(loaded["dataset"]?["feature_names"], ["amount"])
        _ = try client.call("model/train", params: ["dataset": "txns", "name": "m"])
        let predicted = try client.call("model/predict", params: ["model": "m", "dataset": "txns"])
        XCTAssertEqual(predicted["ids"]?.arrayValue?.count, 200)
        XCTAssertEqual(predicted["ids"]?.arrayValue?.first, "t1000")
        let head = try client.call("dataset/head", params: ["dataset": "txns", "rows": 2, "offset": 5])
        XCTAssertEqual(head["rows"]?.arrayValue?.map { $0["id"] }, ["t1005", "t1006"])

        let only = try client.call("dataset/load", params: ["path": .string(path), "name": "amounts", "columns": [1], "id": 0])
        XCTAssertEqual(only["dataset"]?["feature_names"], ["amount"])
        let unknown = client.rpcError("dataset/load", ["path": .string(path), "name": "x", "id": "transaction"])
        XCTAssertEqual(unknown?.code, ErrorCode.invalidParams)
        XCTAssertTrue(unknown?.message.contains("There is no column named 'transaction' for the ids") ?? false, unknown?.message ?? "")
        XCTAssertEqual(client.rpcError("dataset/load", ["path": .string(path), "id": -1])?.data?["field"], "id")
    }
}

/// What the review of the schema work found, through the daemon.
final class SchemaEdgeTests: XCTestCase {
    private func write(_ folder: String, _ name: String, _ text: String) throws -> String {
        let path = folder + "/" + name
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    func testEdgesOfMatching() throws {
        let folder = NSTemporaryDirectory() + "ballast-edges-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var train = "amount,country,label\n"
        for row in 0..<60 { train += "\(Double(row % 10) + 0.5),\(["DE", "FR", "NL"][row % 3]),\(row % 10 > 6 ? 1 : 0)\n" }
        let daemon = try TestDaemon { $0.writeRoots.append(folder) }
        let client = try daemon.client()
        _ = try client.call("dataset/load", params: ["path": .string(try write(folder, "train.csv", train)), "name": "train"])
        _ = try client.call("model/train", params: ["dataset": "train", "name": "m"])

        // Rows with an unseen level encoded as zeros are counted in warnings.
        let zeros = try client.call("model/predict", params: ["model": "m", "rows": [["amount": 8.5, "country": "AT"]], "unseen_levels": "zeros"])
        XCTAssertEqual(zeros["warnings"], ["1 row of 'rows' has a level of 'country' never seen where it must match ('AT' 1); it was encoded as zeros in that column."])

        // A held-out batch of one class loads against the schema.
        let negatives = try write(folder, "negatives.csv", "amount,country,label\n1.5,DE,0\n2.5,FR,0\n")
        let loaded = try client.call("dataset/load", params: ["path": .string(negatives), "name": "batch", "schema": "train"])
        XCTAssertEqual(loaded["dataset"]?["classes"], [["label": "0", "count": 2], ["label": "1", "count": 0]])
        XCTAssertEqual(client.rpcError("dataset/load", ["path": .string(negatives), "name": "solo"])?.data?["kind"], "single_class")
        XCTAssertEqual(client.rpcError("dataset/load", ["path": .string(negatives), "unseen_levels": "zeros"])?.data?["field"], "unseen_levels")

        // A model file written before schemas (no `columns`) still scores its own kind of data.
        let path = folder + "/m.json"
        _ = try client.call("model/save", params: ["model": "m", "path": .string(path)])
        var file = try JSONParser.parse(Array(Data(contentsOf: URL(fileURLWithPath: path))))
        if case .object(var top) = file, case .object(var model)? = top["model"] {
            model["columns"] = nil
            top["model"] = .object(model)
            file = .object(top)
        }
        try Data(JSONWriter.data(file)).write(to: URL(fileURLWithPath: path))
        _ = try client.call("model/load", params: ["path": .string(path), "name": "old"])
        XCTAssertEqual(try client.call("model/evaluate", params: ["model": "old", "dataset": "train", "curves": false])["confusion"],
                       try client.call("model/evaluate", params: ["model": "m", "dataset": "train", "curves": false])["confusion"])

        // best_f1 in predict names the threshold, the only field predict has for it.
        XCTAssertEqual(client.rpcError("model/predict", ["model": "m", "dataset": "train", "threshold": "best_f1"])?.data?["field"], "threshold")
    }
}
