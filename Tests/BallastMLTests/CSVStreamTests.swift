import Foundation
import XCTest
@testable import BallastML

/// `CSVStream` read window by window equals `CSVLoader` reading the whole text at once: same
/// features bit for bit, classes, labels, ids and counts, whatever the window size, with records,
/// quoted newlines, CRLFs, bare CRs and labels straddling windows; and its errors name the same lines.
final class CSVStreamTests: XCTestCase {
    /// What a stream handed on, with the classes remapped as the row file's writer remaps them.
    struct Streamed {
        var table: StreamedTable
        var features: [Float]
        var classes: [Int32]
    }

    private func stream(_ bytes: [UInt8], window: Int, _ configure: (inout CSVOptions) -> Void = { _ in }) throws -> Streamed {
        var options = CSVOptions()
        configure(&options)
        var features: [Float] = []
        var classes: [Int32] = []
        var reads = 0
        let table = try CSVStream.load(size: bytes.count, path: CSVLoader.testPath, options: options, windowBytes: window,
                                       read: { buffer, offset in
                                           reads += 1
                                           let n = min(buffer.count, bytes.count - offset)
                                           guard n > 0 else { return 0 }
                                           bytes.withUnsafeBytes { buffer.baseAddress!.copyMemory(from: $0.baseAddress! + offset, byteCount: n) }
                                           return n
                                       },
                                       append: { f, c in
                                           features += f
                                           classes += c
                                       })
        XCTAssertGreaterThan(reads, 0)
        return Streamed(table: table, features: features, classes: classes.map { table.classRemap[Int($0)] })
    }

    private func assertSame(_ bytes: [UInt8], windows: [Int] = [1, 7, 64, 1_000, 1 << 20], _ configure: (inout CSVOptions) -> Void = { _ in },
                            file: StaticString = #filePath, line: UInt = #line) throws {
        var options = CSVOptions()
        configure(&options)
        let whole = try CSVLoader.load(csv: bytes, options: options)
        let dataset = whole.dataset
        for window in windows {
            let s = try stream(bytes, window: window, configure)
            let label = "window \(window)"
            XCTAssertTrue(s.features.map(\.bitPattern) == Array(dataset.features).map(\.bitPattern), "features differ, \(label)", file: file, line: line)
            XCTAssertEqual(s.classes, Array(dataset.classIndex), label, file: file, line: line)
            XCTAssertEqual(s.table.classLabels, dataset.classLabels, label, file: file, line: line)
            XCTAssertEqual(s.table.positiveClass, dataset.positiveClass, label, file: file, line: line)
            XCTAssertEqual(s.table.ids, dataset.ids, label, file: file, line: line)
            XCTAssertEqual(s.table.schema.featureNames, dataset.featureNames, label, file: file, line: line)
            XCTAssertEqual(s.table.rows, dataset.rowCount, label, file: file, line: line)
            XCTAssertEqual(s.table.missingPerFeature, whole.missingPerFeature, label, file: file, line: line)
            XCTAssertEqual(s.table.droppedRows, whole.droppedRows, label, file: file, line: line)
            XCTAssertEqual(s.table.skippedLines, whole.skippedLines, label, file: file, line: line)
            XCTAssertEqual(s.table.firstSkippedLines, whole.firstSkippedLines, label, file: file, line: line)
            XCTAssertEqual(s.table.warnings, whole.warnings, label, file: file, line: line)
        }
    }

    func testQuotedNewlinesCRLFAndLateLabelsGiveTheWholeFilesDataset() throws {
        var text = "\u{FEFF}id;amount;\"score\";label\r\n\r\n"
        for i in 0..<600 {
            let id = i % 7 == 0 ? "\"row \(i)\r\nwith \"\"quotes\"\"; and more\"" : "r\(i)"
            let label = i > 550 && i % 3 == 0 ? "10" : (i % 11 == 0 ? "2" : "1")
            text += "\(id);\(Double(i) * 0.37 - 11.5);\"\(Float(i % 13) / 3)\";\(label)\r\n"
        }
        try assertSame(Array(text.utf8)) { $0.idColumn = .name("id") }
    }

    func testBareCarriageReturnsAcrossWindows() throws {
        let text = "a,b,label\r" + (0..<300).map { "\($0),\($0 % 5),\($0 % 3 == 0 ? "x" : "y")\r" }.joined()
        try assertSame(Array(text.utf8))
        try assertSame(Array(text.dropLast().utf8), windows: [1, 5, 33])
    }

    func testMissingCellsBadLinesAndNoFinalNewline() throws {
        var rows = (0..<400).map { "\($0),\($0 % 9 == 0 ? "NA" : "\($0 * 2)"),\($0 % 4 == 0 ? "fraud" : "ok")" }
        rows[17] = "17,1"
        rows[390] = "1,2,3,4"
        let text = "a,b,label\n" + rows.joined(separator: "\n")
        try assertSame(Array(text.utf8), windows: [3, 50, 999]) {
            $0.missing = .dropRows
            $0.badLines = .skip
        }
    }

    func testCp1252LabelsLateInTheFileSwitchTheEncodingAsInMemory() throws {
        var bytes = Array("v,label\n".utf8)
        for i in 0..<2_000 { bytes += Array("\(i),\(i % 5 == 0 ? "caf" : "tea")".utf8) + (i % 5 == 0 && i > 1_900 ? [0xE9] : []) + [0x0A] }
        try assertSame(bytes, windows: [100, 5_000])
    }

    func testErrorsNameTheSameLineAsInMemory() throws {
        func lines(_ text: String, _ configure: (inout CSVOptions) -> Void = { _ in }) throws {
            var options = CSVOptions()
            configure(&options)
            var expected: DataError?
            do { _ = try CSVLoader.load(csv: text, options: options) } catch { expected = error }
            let memory = try XCTUnwrap(expected, "loaded in memory")
            for window in [1, 16, 300] {
                XCTAssertThrowsError(try stream(Array(text.utf8), window: window, configure), "window \(window)") { error in
                    let got = error as? DataError
                    XCTAssertEqual(got?.kind, memory.kind, "window \(window)")
                    XCTAssertEqual(got?.line, memory.line, "window \(window)")
                }
            }
        }
        var quoted = (0..<100).map { "\($0),\"a\nb\",\($0 % 2)" }
        quoted[60] = "60,\"x\",1,2"
        try lines("v,note,label\n" + quoted.joined(separator: "\n") + "\n") { $0.ignoreColumns = [.name("note")] }
        var numbers = (0..<300).map { "\($0),\($0 % 2)" }
        numbers[211] = "1e99,0"
        try lines("v,label\n" + numbers.joined(separator: "\n"))
        numbers[211] = "oops,0"
        try lines("v,label\n" + numbers.joined(separator: "\n"))
        try lines("v,label\n" + (0..<50).map { "\($0),\($0 % 2)\n" }.joined() + "1,\"0\n2,1\n")
        try lines("v,label\n" + (0..<50).map { "\($0).5,\($0).25\n" }.joined())
    }

    func testTextColumnsAndMeanImputationNeedTheWholeFile() throws {
        let text = "amount,country,label\n" + (0..<100).map { "\($0),\(["DE", "FR"][$0 % 2]),\($0 % 2)\n" }.joined()
        XCTAssertThrowsError(try stream(Array(text.utf8), window: 40)) { error in
            XCTAssertEqual((error as? CSVStream.NeedsMemory)?.column, "country")
        }
        XCTAssertThrowsError(try stream(Array(text.utf8), window: 40) { $0.missing = .imputeMean }) { error in
            XCTAssertNotNil(error as? CSVStream.NeedsMemory)
        }
    }

    func testALineLongerThanTheLimitIsRefusedWithItsLine() throws {
        let text = "v,label\n1,0\n2,1\n" + String(repeating: "9", count: 5_000) + ",1\n3,0\n"
        XCTAssertThrowsError(try stream(Array(text.utf8), window: 64) { $0.maxLineBytes = 1_000 }) { error in
            XCTAssertEqual((error as? DataError)?.kind, .lineTooLong)
            XCTAssertEqual((error as? DataError)?.line, 4)
        }
    }
}
