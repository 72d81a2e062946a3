import XCTest
@testable import BallastML

/// Files as people have them: ragged lines, old Mac line endings, Windows encodings, decimal
/// commas, header-less files with text columns, and label columns that are not classes.
final class CSVBadLineTests: XCTestCase {
    func testRaggedLinesAreRefusedByDefault() {
        let e = loadError("a,b,y\n1,2,x\n1,2,3,x\n4,5,y\n")
        XCTAssertEqual(e?.kind, .raggedRow)
        XCTAssertEqual(e?.line, 3)
    }

    func testSkippingDropsRaggedLinesAndSaysWhich() throws {
        let t = try loadCSV("a,b,y\n1,2,x\n1,2,3,x\n4,5,y\n1,z\n\n6,7,x\n") { $0.badLines = .skip }
        XCTAssertEqual(t.dataset.features, [1, 2, 4, 5, 6, 7])
        XCTAssertEqual(t.dataset.classLabels, ["x", "y"])
        XCTAssertEqual(t.dataset.classIndex, [0, 1, 0])
        XCTAssertEqual(t.skippedLines, 2)
        XCTAssertEqual(t.firstSkippedLines, [3, 5])
    }

    func testASkippedLineLeavesNoTraceInLevelsOrLabels() throws {
        // The ragged line's text would be a level of `c` and a label of its own.
        let t = try loadCSV("a,c,y\n1,red,x\n2,Smith, John,odd\n3,blue,y\n4,red,x\n") { $0.badLines = .skip }
        XCTAssertEqual(t.dataset.featureNames, ["a", "c=blue", "c=red"])
        XCTAssertEqual(t.dataset.classLabels, ["x", "y"])
        XCTAssertEqual(t.firstSkippedLines, [3])
    }

    func testLineNumbersCountNewlinesInsideQuotes() throws {
        let t = try loadCSV("a,y\n\"1\",0\n\"multi\nline\",0,extra\n2,1\n3\n") { $0.badLines = .skip }
        XCTAssertEqual(t.dataset.features, [1, 2])
        XCTAssertEqual(t.firstSkippedLines, [3, 6])
    }

    func testSkippingAcrossChunksKeepsEveryGoodRowInOrder() throws {
        var text = "a,b,y\n"
        var expected: [Float] = []
        var bad: [Int] = []
        for i in 0..<40_000 {
            if i % 1_000 == 7 {
                text += "\(i),\(i),\(i),1\n"
                bad.append(i + 2)
            } else {
                text += "\(i),-\(i),\(i % 3 == 0 ? 1 : 0)\n"
                expected += [Float(i), -Float(i)]
            }
        }
        for threads in [1, 4] {
            let t = try loadCSV(text) { $0.badLines = .skip; $0.threads = threads }
            XCTAssertEqual(t.dataset.features.array, expected, "threads \(threads)")
            XCTAssertEqual(t.skippedLines, bad.count)
            XCTAssertEqual(t.firstSkippedLines, Array(bad.prefix(10)))
        }
    }

    func testSkippingWorksWithDroppedMissingRows() throws {
        var text = "a,y\n"
        for i in 0..<30_000 { text += i % 5_000 == 1 ? "\(i),\(i),0\n" : i % 5_000 == 2 ? ",1\n" : "\(i),\(i % 2)\n" }
        let t = try loadCSV(text) { $0.badLines = .skip; $0.missing = .dropRows; $0.threads = 4 }
        XCTAssertEqual(t.skippedLines, 6)
        XCTAssertEqual(t.droppedRows, 6)
        XCTAssertEqual(t.dataset.rowCount, 30_000 - 12)
        XCTAssertFalse(t.dataset.features.contains { $0.isNaN })
        XCTAssertEqual(t.dataset.features.array.prefix(3), [0, 3, 4])
    }

    func testATextCellInANumericColumnIsStillAnError() {
        let e = loadError("a,y\n1,x\n2,y\nthree,x\n") { $0.badLines = .skip }
        XCTAssertEqual(e?.kind, .notNumeric)
    }

    func testAFileOfOnlyBadLinesSaysSo() {
        let e = loadError("a,b,y\n1,x\n2,y\n") { $0.badLines = .skip }
        XCTAssertEqual(e?.kind, .headerOnly)
    }
}

final class CSVLineEndingAndEncodingTests: XCTestCase {
    func testBareCarriageReturnsEndLines() throws {
        let lf = try loadCSV("a,b,y\n1,2,x\n3,4,y\n")
        for text in ["a,b,y\r1,2,x\r3,4,y\r", "a,b,y\r1,2,x\r3,4,y", "a,b,y\r\n1,2,x\r\n3,4,y\r\n"] {
            let t = try loadCSV(text)
            XCTAssertEqual(t.dataset.featureNames, lf.dataset.featureNames, text.debugDescription)
            XCTAssertEqual(t.dataset.features, lf.dataset.features, text.debugDescription)
            XCTAssertEqual(t.dataset.classLabels, lf.dataset.classLabels, text.debugDescription)
        }
    }

    func testBareCarriageReturnLineNumbersInErrors() {
        XCTAssertEqual(loadError("a,y\r1,x\r2\r")?.line, 3)
    }

    /// "café" and "naïve" in cp1252 (and Latin-1): é = 0xE9, ï = 0xEF; € is 0x80 in cp1252 only.
    let windowsText: [UInt8] = Array("gr".utf8) + [0xF6, 0xDF, 0x65]
        + Array(",label\n1,caf".utf8) + [0xE9] + Array("\n2,na".utf8) + [0xEF, 0x76, 0x65] + Array("\n3,".utf8) + [0x80] + Array("\n".utf8)

    func testAutoFallsBackToCp1252AndSaysSo() throws {
        let t = try CSVLoader.load(csv: windowsText, options: CSVOptions())
        XCTAssertEqual(t.dataset.featureNames, ["größe"])
        XCTAssertEqual(t.dataset.classLabels, ["café", "naïve", "€"])
        XCTAssertEqual(t.warnings.count, 1)
        XCTAssertTrue(t.warnings[0].contains("cp1252"), t.warnings[0])
    }

    func testLatin1IsReadAsAsked() throws {
        var options = CSVOptions()
        options.encoding = .latin1
        let t = try CSVLoader.load(csv: windowsText, options: options)
        XCTAssertEqual(t.dataset.classLabels, ["café", "naïve", "\u{80}"])
        XCTAssertEqual(t.warnings, [])
    }

    func testUTF8WhenAskedRefusesOtherBytes() {
        let e = loadError(windowsText) { $0.encoding = .utf8 }
        XCTAssertEqual(e?.kind, .invalidEncoding)
    }

    func testAFallbackFarPastTheStartStillDecodesEveryValue() throws {
        var bytes = Array("x,label\n".utf8)
        for i in 0..<5_000 { bytes += Array("\(i),plain\n".utf8) }
        bytes += Array("9,caf".utf8) + [0xE9, 0x0A]
        let t = try CSVLoader.load(csv: bytes, options: CSVOptions())
        XCTAssertEqual(t.dataset.classLabels, ["café", "plain"])
        XCTAssertEqual(t.warnings.count, 1)
        XCTAssertNotNil(loadError(bytes) { $0.encoding = .utf8 })
    }

    func testValidUTF8HasNoWarning() throws {
        let t = try loadCSV("größe,label\n1,café\n2,naïve\n")
        XCTAssertEqual(t.dataset.classLabels, ["café", "naïve"])
        XCTAssertEqual(t.warnings, [])
    }
}

final class CSVDecimalCommaTests: XCTestCase {
    let european = "a;b;y\n1,5;-2,25;x\n3;4,0;y\n"

    func testADecimalCommaReadsAsAFraction() throws {
        let t = try loadCSV(european) { $0.decimal = .comma }
        XCTAssertEqual(t.dataset.features, [1.5, -2.25, 3, 4])
    }

    func testAutoPairsTheCommaWithSemicolons() throws {
        let t = try loadCSV(european) { $0.decimal = .auto }
        XCTAssertEqual(t.dataset.featureNames, ["a", "b"])
        XCTAssertEqual(t.dataset.features, [1.5, -2.25, 3, 4])
        // A comma-separated file is read as before.
        let plain = try loadCSV("a,b,y\n1.5,2,x\n3,4,y\n") { $0.decimal = .auto }
        XCTAssertEqual(plain.dataset.features, [1.5, 2, 3, 4])
    }

    func testTheDefaultPointKeepsTodaysReading() {
        XCTAssertEqual(loadError("a;y\n1,5;x\n2;y\n")?.kind, .notNumeric)
    }

    func testACommaDecimalWithACommaDelimiterIsRefused() {
        XCTAssertEqual(loadError(european) { $0.decimal = .comma; $0.delimiter = UInt8(ascii: ",") }?.kind, .invalidOption)
    }

    func testTextWithCommasStaysText() throws {
        let t = try loadCSV("a;c;y\n1,5;\"Smith, John\";x\n2;Doe;y\n") { $0.decimal = .comma }
        XCTAssertEqual(t.dataset.featureNames, ["a", "c=Doe", "c=Smith, John"])
    }
}

final class CSVHeaderSniffingTests: XCTestCase {
    func testAHeaderlessFileWhoseFirstColumnIsTextKeepsItsFirstRow() throws {
        let keel = "M, 0.455, 0.365, negative\nF, 0.35, 0.265, negative\nI, 0.53, 0.42, positive\nM, 0.44, 0.365, negative\n"
        let t = try loadCSV(keel)
        XCTAssertEqual(t.dataset.rowCount, 4)
        XCTAssertEqual(t.dataset.featureNames, ["x1=F", "x1=I", "x1=M", "x2", "x3"])
        XCTAssertEqual(t.dataset.features.array.prefix(5), [0, 0, 1, 0.455, 0.365])
    }

    func testTextAboveNumbersIsAHeader() throws {
        let t = try loadCSV("sex,length,class\nM,0.455,0\nF,0.35,1\n")
        XCTAssertEqual(t.dataset.featureNames, ["sex=F", "sex=M", "length"])
        XCTAssertEqual(t.dataset.rowCount, 2)
    }

    func testATextLabelHeaderAboveNumericLabelsIsAHeader() throws {
        let t = try loadCSV("1,2,class\n3,4,0\n5,6,1\n")
        XCTAssertEqual(t.dataset.featureNames, ["1", "2"])
        XCTAssertEqual(t.dataset.rowCount, 2)
    }

    func testAllTextColumnsWithANameThatNeverRecursIsAHeader() throws {
        let t = try loadCSV("color,size,label\nred,big,yes\nblue,small,no\nred,small,yes\n")
        XCTAssertEqual(t.dataset.featureNames, ["color=blue", "color=red", "size=big", "size=small"])
        XCTAssertEqual(t.dataset.rowCount, 3)
    }

    func testExplicitHeaderModesStillWin() throws {
        let keel = "M,0.455,negative\nF,0.35,positive\nI,0.5,negative\n"
        XCTAssertEqual(try loadCSV(keel).dataset.rowCount, 3)
        XCTAssertEqual(try loadCSV(keel) { $0.header = .present }.dataset.rowCount, 2)
        let absent = try loadCSV("color,label\nred,yes\nblue,no\nred,yes\n") { $0.header = .absent }
        XCTAssertEqual(absent.dataset.featureNames, ["x1=blue", "x1=color", "x1=red"])
        XCTAssertEqual(absent.dataset.rowCount, 4)
    }
}

final class CSVLabelSanityTests: XCTestCase {
    func testAContinuousLabelIsRefusedWithItsColumn() {
        var text = "a,price\n"
        for i in 0..<50 { text += "\(i),\(Double(i) * 1.37 + 0.11)\n" }
        let e = loadError(text)
        XCTAssertEqual(e?.kind, .continuousLabel)
        XCTAssertEqual(e?.field, "price")
        XCTAssertEqual(e?.column, 2)
    }

    func testManyIntegerClassesAreFine() throws {
        var text = "a,digit\n"
        for i in 0..<500 { text += "\(i),\(i % 30)\n" }
        XCTAssertEqual(try loadCSV(text).dataset.classLabels.count, 30)
    }

    func testTooManyClassesIsRefusedWithAShortMessage() {
        var text = "a,id\n"
        for i in 0..<5_000 { text += "\(i),customer-\(String(repeating: "x", count: 200))-\(i)\n" }
        let e = loadError(text)
        XCTAssertEqual(e?.kind, .tooManyClasses)
        XCTAssertEqual(e?.field, "id")
        XCTAssertLessThan(e?.message.utf8.count ?? .max, 400, e?.message ?? "")
        XCTAssertTrue(e?.message.contains("5000 distinct values") ?? false, e?.message ?? "")
    }

    func testMaxClassesIsAnOption() {
        XCTAssertEqual(loadError("a,y\n1,p\n2,q\n3,r\n") { $0.maxClasses = 2 }?.kind, .tooManyClasses)
    }
}
