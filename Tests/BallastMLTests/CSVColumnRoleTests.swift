import XCTest
@testable import BallastML

/// `columns`, `ignore` and `id`: which columns of a file become features.
final class CSVColumnRoleTests: XCTestCase {
    private let text = """
        id,amount,country,notes,label
        a1,1.5,DE,first,0
        a2,,FR,"second, with a comma",1
        a3,3.5,NL,third,0
        a4,4.5,DE,fourth,1

        """

    func testAnIdColumnIsKeptBesideTheDataAndAnIgnoredOneIsLeftOut() throws {
        let table = try loadCSV(text) {
            $0.idColumn = .name("id")
            $0.ignoreColumns = [.name("notes")]
            $0.missing = .imputeMean
        }
        XCTAssertEqual(table.dataset.featureNames, ["amount", "country=DE", "country=FR", "country=NL"])
        XCTAssertEqual(table.dataset.ids, ["a1", "a2", "a3", "a4"])
        XCTAssertEqual(table.dataset.features.array[0..<4], [1.5, 1, 0, 0])
        XCTAssertEqual(table.dataset.classLabels, ["0", "1"])
    }

    func testDroppedAndSkippedRowsTakeTheirIdsWithThem() throws {
        let dropped = try loadCSV(text) { $0.idColumn = .index(0); $0.ignoreColumns = [.index(3)]; $0.missing = .dropRows }
        XCTAssertEqual(dropped.dataset.ids, ["a1", "a3", "a4"])
        XCTAssertEqual(dropped.dataset.features.count, 3 * 4)
        let ragged = "id,x,label\nr1,1,0\nr2,2,0,extra\nr3,3,1\n"
        let skipped = try loadCSV(ragged) { $0.idColumn = .name("id"); $0.badLines = .skip }
        XCTAssertEqual(skipped.dataset.ids, ["r1", "r3"])
        XCTAssertEqual(skipped.dataset.features, [1, 3])
    }

    func testColumnsKeepsOnlyTheNamedFeatures() throws {
        let table = try loadCSV(text) { $0.keepColumns = [.name("amount")]; $0.missing = .imputeMean }
        XCTAssertEqual(table.dataset.featureNames, ["amount"])
        XCTAssertNil(table.dataset.ids)
        XCTAssertEqual(table.dataset.features, [1.5, Float((1.5 + 3.5 + 4.5) / 3), 3.5, 4.5], "the mean of the others fills the gap")
    }

    func testIdsSurviveSelectionAndRowsThreadsAlike() throws {
        var big = "id,x,label\n"
        for row in 0..<30_000 { big += "row\(row),\(row % 7),\(row % 3 == 0 ? 1 : 0)\n" }
        var one = CSVOptions(), two = CSVOptions()
        one.idColumn = .name("id"); one.threads = 1
        two.idColumn = .name("id"); two.threads = 3
        let a = try CSVLoader.load(csv: big, options: one), b = try CSVLoader.load(csv: big, options: two)
        XCTAssertEqual(a.dataset.ids, b.dataset.ids)
        XCTAssertEqual(a.dataset.ids?.last, "row29999")
        XCTAssertEqual(a.dataset.selecting(rows: [5, 2]).ids, ["row5", "row2"])
    }

    func testBadColumnChoicesAreRefusedNamingTheColumn() {
        XCTAssertEqual(loadError(text) { $0.idColumn = .name("ident") }?.kind, .invalidOption)
        XCTAssertTrue(loadError(text) { $0.idColumn = .name("ident") }?.message.contains("no column named 'ident'") ?? false)
        XCTAssertEqual(loadError(text) { $0.idColumn = .name("label") }?.kind, .invalidOption)
        XCTAssertEqual(loadError(text) { $0.ignoreColumns = [.index(9)] }?.kind, .invalidOption)
        XCTAssertTrue(loadError(text) { $0.keepColumns = [.name("notes")]; $0.ignoreColumns = [.name("notes")] }?
            .message.contains("both kept and ignored") ?? false)
        XCTAssertTrue(loadError(text) { $0.keepColumns = [.name("label")] }?.message.contains("No feature column") ?? false)
    }
}

/// Matching by name needs names that are names: what the review of the schema work found.
final class CSVNamingTests: XCTestCase {
    func testAColumnNameUsedTwiceIsRefused() {
        let error = loadError("a,a,label\n1,700,0\n2,800,1\n")
        XCTAssertEqual(error?.kind, .duplicateColumn)
        XCTAssertEqual(error?.field, "a")
        XCTAssertNotNil(try? loadCSV("a,a,label\n1,700,0\n2,800,1\n") { $0.ignoreColumns = [.index(1)] }, "ignoring one of them is fine")
    }

    func testIdsAreDecodedWithTheEncodingTheWholeFileSettlesOn() throws {
        var bytes = Array("id,x,label\n".utf8)
        for row in 0..<1_000 { bytes += Array("r\(row),\(row % 5),\(row % 2)\n".utf8) }   // past the 8 KB sample
        bytes += Array("M".utf8) + [0xFC] + Array("ller,3,1\n".utf8)                   // cp1252 ü
        var options = CSVOptions()
        options.idColumn = .name("id")
        let table = try CSVLoader.load(csv: bytes, options: options)
        XCTAssertEqual(table.dataset.ids?.last, "Müller")
        XCTAssertEqual(table.warnings.count, 1, "the fallback is said")
        options.encoding = .utf8
        XCTAssertThrowsError(try CSVLoader.load(csv: bytes, options: options)) { error in
            XCTAssertEqual((error as? DataError)?.kind, .invalidEncoding)
        }
    }

    func testATinyAllTextFileKeepsItsHeader() throws {
        let table = try loadCSV("color,size,label\nred,S,yes\nblue,M,no\n")
        XCTAssertEqual(table.dataset.rowCount, 2)
        XCTAssertEqual(table.dataset.schema.columns.map(\.name), ["color", "size"])
    }
}
