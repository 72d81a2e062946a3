import XCTest
@testable import BallastML

final class CSVFormatTests: XCTestCase {
    func testHeaderAutoDetectsNamesAndKeepsRows() throws {
        let t = try loadCSV("a,b,class\n1,2,0\n3,4,1\n5,6,0\n")
        XCTAssertEqual(t.dataset.featureNames, ["a", "b"])
        XCTAssertEqual(t.dataset.features, [1, 2, 3, 4, 5, 6])
        XCTAssertEqual(t.dataset.classIndex, [0, 1, 0])
        XCTAssertEqual(t.dataset.classLabels, ["0", "1"])
    }

    func testHeaderAutoAbsentWhenFirstRowIsNumericEvenWithTextLabel() throws {
        let t = try loadCSV("1,2,no\n3,4,yes\n5,6,no\n")
        XCTAssertEqual(t.dataset.featureNames, ["x1", "x2"])
        XCTAssertEqual(t.dataset.rowCount, 3)
        XCTAssertEqual(t.dataset.features, [1, 2, 3, 4, 5, 6])
        XCTAssertEqual(t.dataset.classLabels, ["no", "yes"])
    }

    func testHeaderPresentAndAbsentOverrides() throws {
        let present = try loadCSV("1,2,0\n3,4,1\n5,6,0\n") { $0.header = .present }
        XCTAssertEqual(present.dataset.featureNames, ["1", "2"])
        XCTAssertEqual(present.dataset.rowCount, 2)
        let absent = try loadCSV("1,2,0\n3,4,1\n") { $0.header = .absent }
        XCTAssertEqual(absent.dataset.featureNames, ["x1", "x2"])
        XCTAssertEqual(absent.dataset.rowCount, 2)
    }

    func testEachDelimiterIsDetected() throws {
        for d in [",", ";", "\t", "|"] {
            let text = ["a", "b", "y"].joined(separator: d) + "\n" + ["1.5", "2", "0"].joined(separator: d) + "\n"
                + ["3", "-4e1", "1"].joined(separator: d) + "\n"
            let t = try loadCSV(text)
            XCTAssertEqual(t.dataset.featureNames, ["a", "b"], "delimiter \(d.debugDescription)")
            XCTAssertEqual(t.dataset.features, [1.5, 2, 3, -40], "delimiter \(d.debugDescription)")
        }
    }

    func testDelimiterDetectionIgnoresDelimitersInsideQuotes() throws {
        let t = try loadCSV("\"a;b\";c;y\n1;2;0\n3;4;1\n")
        XCTAssertEqual(t.dataset.featureNames, ["a;b", "c"])
        XCTAssertEqual(t.dataset.features, [1, 2, 3, 4])
    }

    func testExplicitDelimiter() throws {
        let t = try loadCSV("a:b:y\n1:2:0\n3:4:1\n") { $0.delimiter = UInt8(ascii: ":") }
        XCTAssertEqual(t.dataset.features, [1, 2, 3, 4])
    }

    func testSpacesAroundFieldsAreTrimmed() throws {
        let t = try loadCSV(" a , b ,  y \n 1 ,  2.5 , 0 \n3,4 ,  1\n")
        XCTAssertEqual(t.dataset.featureNames, ["a", "b"])
        XCTAssertEqual(t.dataset.features, [1, 2.5, 3, 4])
        XCTAssertEqual(t.dataset.classLabels, ["0", "1"])
    }

    func testTSVKeepsEmptyTabFieldsAsCells() throws {
        let t = try loadCSV("a\tb\ty\n1\t\t0\n3\t4\t1\n") { $0.missing = .imputeMean }
        XCTAssertEqual(t.dataset.features, [1, 4, 3, 4])
        XCTAssertEqual(t.missingPerFeature, [0, 1])
    }

    func testRFC4180QuotingWithQuotedNewlineAndDoubledQuotes() throws {
        let text = "\"name, with comma\",\"say \"\"hi\"\"\",label\n"
            + "\"1\",\"2\",\"multi\nline\"\n"
            + "3,4,\"He said \"\"no\"\"\"\n"
            + "5 , \"6\" ,\"multi\nline\"\n"
        let t = try loadCSV(text)
        XCTAssertEqual(t.dataset.featureNames, ["name, with comma", "say \"hi\""])
        XCTAssertEqual(t.dataset.features, [1, 2, 3, 4, 5, 6])
        XCTAssertEqual(t.dataset.classLabels, ["He said \"no\"", "multi\nline"])
        XCTAssertEqual(t.dataset.classIndex, [1, 0, 1])
    }

    func testQuotedNewlineCountsPhysicalLinesInErrors() {
        let text = "a,b,y\n1,\"2\",\"x\ny\"\n3,oops,z\n4,5,z\n"
        let e = loadError(text)
        XCTAssertEqual(e?.kind, .notNumeric)
        XCTAssertEqual(e?.line, 4)
        XCTAssertEqual(e?.column, 2)
        XCTAssertEqual(e?.field, "b")
    }

    func testCRLFLineEndings() throws {
        let t = try loadCSV("a,b,y\r\n1,2,0\r\n3,4,1\r\n\r\n")
        XCTAssertEqual(t.dataset.features, [1, 2, 3, 4])
        XCTAssertEqual(t.dataset.classLabels, ["0", "1"])
    }

    func testByteOrderMarkIsSkipped() throws {
        let t = try loadCSV("\u{FEFF}a,b,y\n1,2,0\n3,4,1\n")
        XCTAssertEqual(t.dataset.featureNames, ["a", "b"])
        XCTAssertEqual(t.dataset.rowCount, 2)
    }

    func testNoTrailingNewlineAndBlankLines() throws {
        let t = try loadCSV("\n\na,b,y\n1,2,0\n\n   \n3,4,1")
        XCTAssertEqual(t.dataset.features, [1, 2, 3, 4])
        XCTAssertEqual(t.dataset.classIndex, [0, 1])
    }

    func testLabelByNameIndexAndDefault() throws {
        let text = "f1,target,f2\n1,yes,2\n3,no,4\n5,no,6\n"
        let byName = try loadCSV(text) { $0.label = .name("target") }
        XCTAssertEqual(byName.dataset.featureNames, ["f1", "f2"])
        XCTAssertEqual(byName.dataset.features, [1, 2, 3, 4, 5, 6])
        XCTAssertEqual(byName.dataset.classLabels, ["no", "yes"])
        XCTAssertEqual(byName.dataset.classIndex, [1, 0, 0])
        let byIndex = try loadCSV(text) { $0.label = .index(1) }
        XCTAssertEqual(byIndex.dataset, byName.dataset)
        let byDefault = try loadCSV("f1,f2,target\n1,2,yes\n3,4,no\n")
        XCTAssertEqual(byDefault.dataset.featureNames, ["f1", "f2"])
        XCTAssertEqual(byDefault.dataset.classLabels, ["no", "yes"])
    }

    func testLabelIndexWithoutHeader() throws {
        let t = try loadCSV("0,1.5,2\n1,3.5,4\n") { $0.label = .index(0) }
        XCTAssertEqual(t.dataset.featureNames, ["x1", "x2"])
        XCTAssertEqual(t.dataset.features, [1.5, 2, 3.5, 4])
        XCTAssertEqual(t.dataset.classIndex, [0, 1])
    }

    func testNumericLabelsSortNumerically() throws {
        let t = try loadCSV("x,y\n1,10\n2,2\n3,2\n4,1\n")
        XCTAssertEqual(t.dataset.classLabels, ["1", "2", "10"])
        XCTAssertEqual(t.dataset.classIndex, [2, 1, 1, 0])
        XCTAssertNil(t.dataset.positiveClass, "multiclass has no positive class")
    }

    func testTextLabelsSortLexicographically() throws {
        let t = try loadCSV("x,y\n1,b\n2,a10\n3,a2\n4,B\n")
        XCTAssertEqual(t.dataset.classLabels, ["B", "a10", "a2", "b"])
    }

    func testDefaultPositiveIsMinorityAndTieTakesLastSorted() throws {
        let minority = try loadCSV("x,y\n1,No\n2,Yes\n3,No\n4,No\n")
        XCTAssertEqual(minority.dataset.classLabels, ["No", "Yes"])
        XCTAssertEqual(minority.dataset.positiveClass, 1)
        let minorityFirst = try loadCSV("x,y\n1,a\n2,b\n3,b\n")
        XCTAssertEqual(minorityFirst.dataset.positiveClass, 0)
        let tie = try loadCSV("x,y\n1,a\n2,b\n")
        XCTAssertEqual(tie.dataset.positiveClass, 1)
    }

    func testPositiveOptionNamesTheClass() throws {
        let t = try loadCSV("x,y\n1,neg\n2,positive\n3,positive\n") { $0.positive = "positive" }
        XCTAssertEqual(t.dataset.classLabels, ["neg", "positive"])
        XCTAssertEqual(t.dataset.positiveClass, 1)
    }

    func testLoadFromBytesMatchesLoadFromPath() throws {
        let text = "a,b,y\n1,2,0\n3,4,1\n"
        let fromPath = try loadCSV(text)
        let fromBytes = try Array(text.utf8).withUnsafeBytes { buffer in
            try CSVLoader.load(bytes: buffer, path: "memory.csv", options: CSVOptions())
        }
        XCTAssertEqual(fromPath.dataset, fromBytes.dataset)
    }
}
