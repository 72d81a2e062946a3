import Foundation
import XCTest
@testable import BallastML

final class CSVErrorTests: XCTestCase {
    func testEmptyFile() {
        XCTAssertEqual(loadError("")?.kind, .empty)
        XCTAssertEqual(loadError("\n \r\n\n")?.kind, .empty)
        XCTAssertEqual(loadError([0xEF, 0xBB, 0xBF])?.kind, .empty)
    }

    func testHeaderOnly() {
        let e = loadError("a,b,y\n\n")
        XCTAssertEqual(e?.kind, .headerOnly)
    }

    func testRaggedRowTooFewAndTooMany() {
        let few = loadError("a,b,y\n1,2,0\n3,4,1\n5,1\n")
        XCTAssertEqual(few?.kind, .raggedRow)
        XCTAssertEqual(few?.line, 4)
        XCTAssertEqual(few?.message, "Line 4 has 2 fields but the header has 3.")
        let many = loadError("a,b,y\n1,2,0\n3,4,1,7,8\n")
        XCTAssertEqual(many?.kind, .raggedRow)
        XCTAssertEqual(many?.line, 3)
        XCTAssertEqual(many?.message, "Line 3 has 5 fields but the header has 3.")
        let noHeader = loadError("1,2,0\n3,1\n")
        XCTAssertEqual(noHeader?.kind, .raggedRow)
        XCTAssertEqual(noHeader?.line, 2)
    }

    func testUnclosedQuoteIsRagged() {
        let e = loadError("a,b,y\n1,2,0\n3,\"4,1\n5,6,0\n")
        XCTAssertEqual(e?.kind, .raggedRow)
        XCTAssertEqual(e?.line, 3)
    }

    func testNonFinite() {
        for (cell, column) in [("Inf", 1), ("-inf", 1), ("Infinity", 1), ("1e39", 1), ("-3.5e38", 1)] {
            let e = loadError("a,b,y\n1,2,0\n\(cell),4,1\n")
            XCTAssertEqual(e?.kind, .nonFinite, cell)
            XCTAssertEqual(e?.line, 3, cell)
            XCTAssertEqual(e?.column, column, cell)
        }
        let quoted = loadError("a,b,y\n1,\"inf\",0\n")
        XCTAssertEqual(quoted?.kind, .nonFinite)
        XCTAssertEqual(quoted?.column, 2)
    }

    func testSingleClass() {
        let e = loadError("a,y\n1,0\n2,0\n")
        XCTAssertEqual(e?.kind, .singleClass)
        XCTAssertEqual(e?.column, 2)
    }

    func testLabelColumnMissing() {
        let byName = loadError("a,b,y\n1,2,0\n") { $0.label = .name("target") }
        XCTAssertEqual(byName?.kind, .labelColumnMissing)
        XCTAssertEqual(byName?.field, "target")
        let byIndex = loadError("a,b,y\n1,2,0\n") { $0.label = .index(3) }
        XCTAssertEqual(byIndex?.kind, .labelColumnMissing)
        let noHeader = loadError("1,2,0\n3,4,1\n") { $0.header = .absent; $0.label = .name("y") }
        XCTAssertEqual(noHeader?.kind, .labelColumnMissing)
    }

    func testLineTooLong() {
        let long = String(repeating: "1", count: 300)
        let e = loadError("a,y\n1,0\n2,1\n\(long),0\n4,1\n") { $0.maxLineBytes = 256 }
        XCTAssertEqual(e?.kind, .lineTooLong)
        XCTAssertEqual(e?.line, 4)
        let header = loadError("\(long),y\n1,0\n") { $0.maxLineBytes = 256 }
        XCTAssertEqual(header?.kind, .lineTooLong)
        XCTAssertEqual(header?.line, 1)
        // Counted in parallel chunks too: line numbers stay exact.
        var big = "a,y\n"
        for i in 0..<60_000 { big += "\(i),\(i % 2)\n" }
        big += "\(long),0\n"
        let late = loadError(big) { $0.maxLineBytes = 256; $0.threads = 2 }
        XCTAssertEqual(late?.kind, .lineTooLong)
        XCTAssertEqual(late?.line, 60_002)
    }

    func testBinary() {
        XCTAssertEqual(loadError([0x61, 0x2C, 0x79, 0x0A, 0x31, 0x00, 0x30, 0x0A])?.kind, .binary)
        // Invalid UTF-8 is not binary: it is another encoding's text.
        XCTAssertNoThrow(try CSVLoader.load(csv: [0x61, 0x2C, 0x79, 0x0A, 0x31, 0x2C, 0xFF, 0x0A, 0x32, 0x2C, 0x30, 0x0A],
                                            options: CSVOptions()))
        // Valid multi-byte UTF-8 is text.
        XCTAssertNoThrow(try loadCSV("größe,y\n1,ja\n2,nein\n"))
    }

    func testUnknownPositiveListsLabels() {
        let e = loadError("a,y\n1,no\n2,yes\n") { $0.positive = "maybe" }
        XCTAssertEqual(e?.kind, .unknownPositive)
        XCTAssertTrue(e?.message.contains("no, yes") ?? false, e?.message ?? "")
    }

    func testInvalidOptions() {
        XCTAssertEqual(loadError("a,y\n1,0\n2,1\n") { $0.maxLineBytes = 0 }?.kind, .invalidOption)
        XCTAssertEqual(loadError("a,y\n1,0\n2,1\n") { $0.threads = -1 }?.kind, .invalidOption)
        XCTAssertEqual(loadError("a,y\n1,0\n2,1\n") { $0.delimiter = UInt8(ascii: "\"") }?.kind, .invalidOption)
        XCTAssertEqual(loadError("a,y\n1,0\n2,1\n") { $0.label = .index(-1) }?.kind, .invalidOption)
        XCTAssertEqual(loadError("a,y\n1,a\n2,b\n3,c\n") { $0.positive = "a" }?.kind, .invalidOption)
    }

    func testErrorIsTheFirstInFileOrderWhateverTheThreads() {
        var text = "a,y\n"
        for i in 0..<80_000 { text += "\(i),\(i % 2)\n" }
        text += "x,0\n"   // line 80_002, column 1 - a stray word
        for i in 0..<10 { text += "\(i),\(i % 2)\n" }
        text += "inf,0\n" // later non-finite
        let bytes = Array(text.utf8)
        let one = loadError(bytes) { $0.threads = 1 }
        let two = loadError(bytes) { $0.threads = 2 }
        XCTAssertEqual(one?.kind, .nonFinite, "cell errors are found while parsing, before column checks")
        XCTAssertEqual(one?.line, 80_013)
        XCTAssertEqual(one?.kind, two?.kind)
        XCTAssertEqual(one?.line, two?.line)
        XCTAssertEqual(one?.message, two?.message)
    }
}
