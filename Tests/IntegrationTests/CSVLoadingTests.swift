import BallastClient
import BallastProtocol
import Foundation
import XCTest

/// `dataset/load` on files as people have them, through a real daemon: ragged lines skipped and
/// reported, old Mac line endings, Windows encodings, decimal commas, header-less files with a
/// text first column, and label columns that are not classes.
final class CSVLoadingTests: XCTestCase {
    private var folder: String!
    private var daemon: TestDaemon!
    private var client: Client!

    override func setUpWithError() throws {
        folder = NSTemporaryDirectory() + "ballast-loading-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        daemon = try TestDaemon()
        client = try daemon.client()
    }

    override func tearDownWithError() throws {
        client = nil
        daemon = nil
        try? FileManager.default.removeItem(atPath: folder)
    }

    private func write(_ name: String, _ bytes: [UInt8]) throws -> String {
        let path = folder + "/" + name
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    private func write(_ name: String, _ text: String) throws -> String { try write(name, Array(text.utf8)) }

    private func load(_ path: String, _ extra: [String: JSONValue] = [:]) throws -> JSONValue {
        var params: [String: JSONValue] = ["path": .string(path)]
        params.merge(extra) { $1 }
        return try client.call("dataset/load", params: .object(params))
    }

    private func loadError(_ path: String, _ extra: [String: JSONValue] = [:]) throws -> RPCError {
        var params: [String: JSONValue] = ["path": .string(path)]
        params.merge(extra) { $1 }
        return try XCTUnwrap(client.rpcError("dataset/load", .object(params)), "\(path) loaded")
    }

    func testSkippingBadLinesLoadsTheRestAndReportsThem() throws {
        var text = "a,b,label\n"
        var bad: [JSONValue] = []
        for i in 0..<3_000 {
            if i % 100 == 50 {
                text += "\(i),\(i)\n"
                bad.append(.int(Int64(i + 2)))
            } else {
                text += "\(i),\(2 * i),\(i % 4 == 0 ? "fraud" : "ok")\n"
            }
        }
        let path = try write("ragged.csv", text)
        let refused = try loadError(path)
        XCTAssertEqual(refused.data?["kind"], "ragged_row")
        XCTAssertEqual(refused.data?["line"], 52)

        let loaded = try load(path, ["on_bad_lines": "skip"])
        XCTAssertEqual(loaded["dataset"]?["rows"], .int(Int64(3_000 - bad.count)))
        XCTAssertEqual(loaded["skipped_lines"]?["count"], .int(Int64(bad.count)))
        XCTAssertEqual(loaded["skipped_lines"]?["first"], .array(Array(bad.prefix(10))))
        XCTAssertEqual(loaded["warnings"], [])

        let clean = try load(try write("clean.csv", "a,label\n1,x\n2,y\n"))
        XCTAssertEqual(clean["skipped_lines"], ["count": 0, "first": []], "every load says how many it skipped")

        let unknown = try loadError(path, ["on_bad_lines": "drop"])
        XCTAssertEqual(unknown.code, ErrorCode.invalidParams)
        XCTAssertTrue(unknown.message.contains("error, skip"), unknown.message)
    }

    func testBareCarriageReturnsLoadLikeLineFeeds() throws {
        let loaded = try load(try write("mac.csv", "a,b,label\r1,2,x\r3,4,y\r5,6,x\r"))
        XCTAssertEqual(loaded["dataset"]?["rows"], 3)
        XCTAssertEqual(loaded["dataset"]?["feature_names"], ["a", "b"])
    }

    func testAWindowsFileFallsBackToCp1252AndSaysSo() throws {
        // "größe;Ergebnis\n1;gut\n2;schön\n3;€\n" as Excel on Windows saves it.
        let bytes = Array("gr".utf8) + [0xF6, 0xDF] + Array("e,Ergebnis\n1,gut\n2,sch".utf8) + [0xF6] + Array("n\n3,".utf8)
            + [0x80] + Array("\n4,gut\n".utf8)
        let path = try write("windows.csv", bytes)
        let loaded = try load(path)
        XCTAssertEqual(loaded["dataset"]?["feature_names"], ["größe"])
        let labels = loaded["dataset"]?["classes"]?.arrayValue?.compactMap { $0["label"]?.stringValue }
        XCTAssertEqual(labels, ["gut", "schön", "€"])
        let warnings = try XCTUnwrap(loaded["warnings"]?.arrayValue)
        XCTAssertEqual(warnings.count, 1)
        XCTAssertTrue(warnings.first?.stringValue?.contains("cp1252") ?? false, "\(warnings)")

        let latin1 = try load(path, ["encoding": "latin-1", "name": "latin"])
        XCTAssertEqual(latin1["warnings"], [])
        XCTAssertEqual(latin1["dataset"]?["classes"]?.arrayValue?.last?["label"], "\u{80}")

        let strict = try loadError(path, ["encoding": "utf-8"])
        XCTAssertEqual(strict.code, ErrorCode.invalidData)
        XCTAssertEqual(strict.data?["kind"], "invalid_encoding")
        XCTAssertTrue(strict.message.contains("cp1252"), strict.message)

        let binary = try loadError(try write("binary.bin", [0x61, 0x2C, 0x62, 0x0A, 0x00, 0x01, 0x0A]))
        XCTAssertEqual(binary.data?["kind"], "binary", "NUL bytes make a file binary")
    }

    func testDecimalCommasWithSemicolons() throws {
        let path = try write("europe.csv", "alter;wert;ergebnis\n30;1,5;ja\n40;-2,25;nein\n50;3;ja\n")
        let comma = try load(path, ["decimal": ","])
        XCTAssertEqual(comma["dataset"]?["rows"], 3)
        XCTAssertEqual(comma["dataset"]?["feature_names"], ["alter", "wert"])
        let auto = try load(path, ["decimal": "auto", "name": "auto"])
        XCTAssertEqual(auto["dataset"]?["feature_names"], ["alter", "wert"])
        let described = try client.call("dataset/describe", params: ["dataset": "auto"])
        let wert = try XCTUnwrap(described["feature_stats"]?.arrayValue?[1])
        XCTAssertEqual(wert["mean"]?.doubleValue ?? 0, (1.5 - 2.25 + 3) / 3, accuracy: 1e-6)

        let point = try loadError(path)
        XCTAssertEqual(point.data?["kind"], "not_numeric", "the default decimal point reads 1,5 as text, as before")
        let clash = try loadError(path, ["decimal": ",", "delimiter": ","])
        XCTAssertEqual(clash.code, ErrorCode.invalidParams)
        XCTAssertEqual(clash.data?["field"], "decimal")
    }

    func testAHeaderlessFileWithATextFirstColumnKeepsItsFirstRow() throws {
        let keel = "M, 0.455, 0.365, negative\nF, 0.35, 0.265, negative\nI, 0.53, 0.42, positive\nM, 0.44, 0.365, negative\n"
        let loaded = try load(try write("abalone.dat", keel))
        XCTAssertEqual(loaded["dataset"]?["rows"], 4)
        XCTAssertEqual(loaded["dataset"]?["feature_names"], ["x1=F", "x1=I", "x1=M", "x2", "x3"])
        XCTAssertEqual(loaded["encoded_columns"], ["x1"])

        let named = try load(try write("abalone.csv", "sex,length,diameter,class\n" + keel), ["name": "named"])
        XCTAssertEqual(named["dataset"]?["rows"], 4)
        XCTAssertEqual(named["dataset"]?["feature_names"], ["sex=F", "sex=I", "sex=M", "length", "diameter"])

        let forced = try load(try write("forced.csv", keel), ["header": "present", "name": "forced"])
        XCTAssertEqual(forced["dataset"]?["rows"], 3, "an explicit header mode still wins")
    }

    func testALabelColumnThatIsNotClassesIsRefusedBriefly() throws {
        var measured = "id,weight,price\n"
        for i in 0..<200 { measured += "\(i),\(i % 7),\(Double(i) * 3.17 + 0.5)\n" }
        let path = try write("houses.csv", measured)
        let continuous = try loadError(path)
        XCTAssertEqual(continuous.code, ErrorCode.invalidData)
        XCTAssertEqual(continuous.data?["kind"], "continuous_label")
        XCTAssertEqual(continuous.data?["field"], "price")
        XCTAssertTrue(continuous.message.contains("'price'") && continuous.message.contains("label="), continuous.message)
        XCTAssertEqual(try load(path, ["label": "weight"])["dataset"]?["classes"]?.arrayValue?.count, 7,
                       "the suggested label= works")

        var ids = "x,customer\n"
        for i in 0..<12_000 { ids += "\(i % 5),customer \(String(repeating: "x", count: 60)) \(i)\n" }
        let many = try loadError(try write("customers.csv", ids))
        XCTAssertEqual(many.data?["kind"], "too_many_classes")
        XCTAssertEqual(many.data?["field"], "customer")
        XCTAssertTrue(many.message.contains("label=") && many.message.contains("max_classes"), many.message)
        XCTAssertLessThan(many.message.utf8.count, 500, "a one-line summary, not every value: \(many.message)")

        let small = try loadError(try write("three.csv", "a,y\n1,p\n2,q\n3,r\n"), ["max_classes": 2])
        XCTAssertEqual(small.data?["kind"], "too_many_classes")
        XCTAssertEqual(try loadError(path, ["max_classes": 1]).code, ErrorCode.invalidParams)
        XCTAssertEqual(try client.call("dataset/list")["datasets"]?.arrayValue?.count, 1, "only the weight load stored")
    }
}
