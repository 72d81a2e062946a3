import BallastClient
import BallastProtocol
import Foundation
import XCTest

/// `dataset/head` through the real daemon: rows as stored, their labels and numbers, text columns
/// read back as their levels, and clear refusals of bad params.
final class DatasetHeadTests: XCTestCase {
    private var folder: String!
    private var daemon: TestDaemon!
    private var client: Client!

    override func setUpWithError() throws {
        folder = NSTemporaryDirectory() + "ballast-head-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        daemon = try TestDaemon()
        client = try daemon.client()
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: folder)
    }

    private func write(_ name: String, _ text: String) throws -> String {
        let path = folder + "/" + name
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    func testRowsComeBackAsStoredWithTheirNumbersLabelsAndLevels() throws {
        let train = try write("train.csv", "amount,country,label\n0.1,DE,0\n2.5,FR,1\n3,NL,0\n-4.25,DE,1\n")
        _ = try client.call("dataset/load", params: ["path": .string(train), "name": "train"])
        let head = try client.call("dataset/head", params: ["dataset": "train", "rows": 2, "offset": 1])
        XCTAssertEqual(head["total_rows"], 4)
        XCTAssertEqual(head["offset"], 1)
        XCTAssertEqual(head["feature_names"], ["amount", "country=DE", "country=FR", "country=NL"])
        XCTAssertEqual(head["columns"], [["name": "amount"], ["name": "country", "levels": ["DE", "FR", "NL"]]])
        XCTAssertEqual(head["rows"], [
            ["row": 1, "values": [2.5, 0, 1, 0], "label": "1", "levels": ["country": "FR"]],
            ["row": 2, "values": [3, 0, 0, 1], "label": "0", "levels": ["country": "NL"]],
        ])
        // The shortest decimal of the stored float32, as the file wrote it.
        XCTAssertEqual(try client.call("dataset/head", params: ["dataset": "train", "rows": 1])["rows"]?.arrayValue?.first?["values"]?.arrayValue?.first, 0.1)
        // Past the end: no rows, and the total to page by.
        let past = try client.call("dataset/head", params: ["dataset": "train", "offset": 4])
        XCTAssertEqual(past["rows"], [])
        XCTAssertEqual(past["total_rows"], 4)
    }

    func testALevelEncodedAsZerosIsNullAndStandardizedFeaturesNameNoLevel() throws {
        let train = try write("train.csv", "amount,country,label\n1,DE,0\n2,FR,1\n3,NL,0\n4,DE,1\n")
        let test = try write("test.csv", "amount,country,label\n1,AT,0\n2,FR,1\n")
        _ = try client.call("dataset/load", params: ["path": .string(train), "name": "train"])
        _ = try client.call("dataset/load", params: ["path": .string(test), "name": "test", "schema": "train", "unseen_levels": "zeros"])
        let rows = try XCTUnwrap(client.call("dataset/head", params: ["dataset": "test"])["rows"]?.arrayValue)
        XCTAssertEqual(rows[0]["levels"], ["country": .null])
        XCTAssertEqual(rows[1]["levels"], ["country": "FR"])

        _ = try client.call("dataset/standardize", params: ["fit": "train"])
        let standardized = try client.call("dataset/head", params: ["dataset": "train.std", "rows": 1])
        XCTAssertEqual(standardized["rows"]?.arrayValue?.first?["levels"], .object([:]), "scaled one-hot features name no level")
    }

    func testNumericDataHasNoColumnsOrLevelsAndTenRowsByDefault() throws {
        _ = try client.call("dataset/generate", params: ["name": "toy", "rows": 50, "features": 3, "informative": 2, "seed": 1])
        let head = try client.call("dataset/head", params: ["dataset": "toy"])
        XCTAssertEqual(head["rows"]?.arrayValue?.count, DatasetHead.defaultRows)
        XCTAssertEqual(head["rows"]?.arrayValue?.compactMap { $0["row"]?.intValue }, Array(0..<10))
        XCTAssertNil(head["columns"])
        XCTAssertNil(head["rows"]?.arrayValue?.first?["levels"])
        XCTAssertEqual(head["rows"]?.arrayValue?.first?["values"]?.arrayValue?.count, 3)
    }

    func testBadParamsAreRefusedNamingTheField() throws {
        _ = try client.call("dataset/generate", params: ["name": "toy", "rows": 50, "features": 3, "informative": 2])
        let negative = client.rpcError("dataset/head", ["dataset": "toy", "offset": -1])
        XCTAssertEqual(negative?.code, ErrorCode.invalidParams)
        XCTAssertEqual(negative?.data?["field"], "offset")
        let tooMany = client.rpcError("dataset/head", ["dataset": "toy", "rows": 1001])
        XCTAssertEqual(tooMany?.code, ErrorCode.invalidParams)
        XCTAssertEqual(tooMany?.data?["field"], "rows")
        XCTAssertTrue(tooMany?.message.contains("1000") ?? false, tooMany?.message ?? "")
        XCTAssertEqual(client.rpcError("dataset/head", ["dataset": "toy", "rows": 0])?.data?["field"], "rows")
        let unknown = client.rpcError("dataset/head", ["dataset": "nope"])
        XCTAssertEqual(unknown?.code, ErrorCode.notFound)
        XCTAssertEqual(unknown?.data?["field"], "dataset")
        XCTAssertEqual(client.rpcError("dataset/head", ["dataset": "toy", "row": 3])?.data?["field"], "row")
    }
}
