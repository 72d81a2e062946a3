import XCTest
@testable import BallastML

/// What error messages may quote of a file (`CSVQuoting`): a file recognised as data gets its
/// short values quoted; any other file only line and column numbers.
final class CSVQuotingTests: XCTestCase {
    private func cells(_ rows: [[String]]) -> [[[UInt8]]] { rows.map { $0.map { Array($0.utf8) } } }

    func testAFileIsDataWhenALaterRecordAsWideAsTheFirstHoldsANumber() {
        XCTAssertTrue(CSVQuoting(sample: cells([["a", "b", "y"], ["1", "x", "0"]]), decimalComma: false).recognised)
        XCTAssertTrue(CSVQuoting(sample: cells([["1", "2"], ["3", "4"]]), decimalComma: false).recognised)
        XCTAssertTrue(CSVQuoting(sample: cells([["a", "y"], ["1,5", "x"]]), decimalComma: true).recognised)
        XCTAssertFalse(CSVQuoting(sample: cells([["root:x:0:0:root:/root:/bin/bash"], ["1"]]), decimalComma: false).recognised,
                       "one column")
        XCTAssertFalse(CSVQuoting(sample: cells([["secret", "x"]]), decimalComma: false).recognised, "one record")
        XCTAssertFalse(CSVQuoting(sample: cells([["user", "token"], ["alice", "s3cr3t"]]), decimalComma: false).recognised,
                       "no number")
        XCTAssertFalse(CSVQuoting(sample: cells([["a", "b"], ["1", "2", "3"]]), decimalComma: false).recognised,
                       "the numbers are in a record of another width")
    }

    func testQuotedValuesAreCutTo32Characters() {
        let data = CSVQuoting(recognised: true)
        XCTAssertEqual(data.quote("short"), "short")
        XCTAssertEqual(data.quote(String(repeating: "x", count: 32)), String(repeating: "x", count: 32))
        XCTAssertEqual(data.quote(String(repeating: "x", count: 33)), String(repeating: "x", count: 31) + "…")
        XCTAssertEqual(data.describe(1, names: ["a", "amount"]), "column 2 ('amount')")
        let other = CSVQuoting(recognised: false)
        XCTAssertNil(other.quote("short"))
        XCTAssertEqual(other.describe(1, names: ["a", "amount"]), "column 2")
        XCTAssertFalse(other.header(["SECRET", "x"]).contains("SECRET"))
    }

    /// Through the loader: the same mistake in a file of data and in one that is not.
    func testMessagesQuoteCellsOfDataOnly() {
        let data = loadError("amount,y\n1,0\nbad,1\n2,0\n")
        XCTAssertEqual(data?.message, "Line 3, column 1 ('amount') holds 'bad' where the rest of the column is numbers.")
        XCTAssertEqual(data?.field, "amount")
        let labelled = loadError("SECRET,y\nx,z\n") { $0.label = .name("nope") }
        XCTAssertEqual(labelled?.message, "There is no column named 'nope'; the header has 2 columns (not shown: the file does not look like CSV data).")
        let single = loadError("SECRET,y\nx,SECRET2\nz,SECRET2\n") { $0.label = .name("y") }
        XCTAssertEqual(single?.kind, .singleClass)
        XCTAssertFalse(single?.message.contains("SECRET") ?? true, single?.message ?? "")
        XCTAssertNil(single?.field)
    }

    /// The label checks quote values and the column's name by the same rule: 32 characters.
    func testLabelMessagesCutValuesAndTheColumnNameTo32Characters() {
        let name = "label_" + String(repeating: "n", count: 24)             // 30 characters: whole
        let long = String(repeating: "v", count: 40)                          // cut to 31 + "…"
        let labels = ["a_label_that_is_29_chars_long", "b", long]
        let file = "x,\(name)\n" + labels.enumerated().map { "\($0.offset),\($0.element)" }.joined(separator: "\n") + "\n"
        let error = loadError(file) { $0.maxClasses = 2 }
        XCTAssertEqual(error?.kind, .tooManyClasses)
        XCTAssertEqual(error?.message,
                       "Column 2 ('\(name)'), taken as the label, has 3 distinct values (e.g. a_label_that_is_29_chars_long, b, "
                       + String(repeating: "v", count: 31) + "…), more than the 2 classes allowed; it does not look like a class label.")
    }

    func testBinaryContent() {
        func reason(_ bytes: [UInt8]) -> String? { bytes.withUnsafeBytes { BinaryContent.reason($0) } }
        XCTAssertEqual(reason([0x61, 0x00, 0x62]), "hold NUL bytes")
        XCTAssertNotNil(reason(Array(repeating: [0x01, 0x61, 0x2C, 0x62, 0x0A], count: 10).flatMap { $0 }))
        XCTAssertNil(reason(Array("a\tb\r\n\u{1B}[0m,1\u{0C}\n".utf8)))
        XCTAssertNil(reason(Array(repeating: 0x61, count: 100) + [0x01]), "one control character in 101 is text")
    }
}
