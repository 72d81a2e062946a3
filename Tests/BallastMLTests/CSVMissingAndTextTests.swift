import XCTest
@testable import BallastML

final class CSVMissingAndTextTests: XCTestCase {
    let withGaps = "a,b,y\n1,2,0\n,4,1\n3,NA,0\n5,nan,1\n7,?,0\n9,10,1\n"

    func testMissingErrorPolicyReportsLineAndColumn() {
        let e = loadError(withGaps)
        XCTAssertEqual(e?.kind, .missingValue)
        XCTAssertEqual(e?.line, 3)
        XCTAssertEqual(e?.column, 1)
        XCTAssertEqual(e?.field, "a")
        let second = loadError("a,b,y\n1,2,0\n3,NaN,1\n")
        XCTAssertEqual(second?.kind, .missingValue)
        XCTAssertEqual(second?.line, 3)
        XCTAssertEqual(second?.column, 2)
    }

    func testDropRowsRemovesEveryRowWithAGap() throws {
        let t = try loadCSV(withGaps) { $0.missing = .dropRows }
        XCTAssertEqual(t.dataset.features, [1, 2, 9, 10])
        XCTAssertEqual(t.dataset.classIndex, [0, 1])
        XCTAssertEqual(t.droppedRows, 4)
        XCTAssertEqual(t.missingPerFeature, [1, 3])
    }

    func testImputeMeanFillsWithMeanOfPresentValues() throws {
        let t = try loadCSV(withGaps) { $0.missing = .imputeMean }
        // a: present 1,3,5,7,9 -> 5; b: present 2,4,10 -> 16/3
        let b = Float(16.0 / 3.0)
        XCTAssertEqual(t.dataset.features, [1, 2, 5, 4, 3, b, 5, b, 7, b, 9, 10])
        XCTAssertEqual(t.droppedRows, 0)
        XCTAssertEqual(t.missingPerFeature, [1, 3])
    }

    func testMissingLabelIsAlwaysAnError() {
        for policy in [CSVOptions.MissingPolicy.error, .dropRows, .imputeMean] {
            let e = loadError("a,y\n1,0\n2,\n3,1\n") { $0.missing = policy }
            XCTAssertEqual(e?.kind, .missingValue)
            XCTAssertEqual(e?.line, 3)
            XCTAssertEqual(e?.column, 2)
            XCTAssertEqual(e?.field, "y")
        }
    }

    func testDropRowsCanRemoveAClassEntirely() {
        let e = loadError("a,y\n1,0\n,1\n3,0\n") { $0.missing = .dropRows }
        XCTAssertEqual(e?.kind, .singleClass)
    }

    func testTextColumnIsOneHotEncodedInPlaceWithSortedLevels() throws {
        let t = try loadCSV("size,color,w,y\n1,red,0.5,0\n2,blue,1.5,1\n3,red,2.5,0\n4,green,3.5,1\n")
        XCTAssertEqual(t.dataset.featureNames, ["size", "color=blue", "color=green", "color=red", "w"])
        XCTAssertEqual(t.encodedColumns, ["color"])
        XCTAssertEqual(t.dataset.features, [
            1, 0, 0, 1, 0.5,
            2, 1, 0, 0, 1.5,
            3, 0, 0, 1, 2.5,
            4, 0, 1, 0, 3.5,
        ])
        XCTAssertEqual(t.missingPerFeature, [0, 0, 0, 0, 0])
    }

    func testOneHotWithMissingCellsImputesLevelFrequencies() throws {
        let t = try loadCSV("color,y\nred,0\n,1\nblue,0\nred,1\n") { $0.missing = .imputeMean }
        XCTAssertEqual(t.dataset.featureNames, ["color=blue", "color=red"])
        XCTAssertEqual(t.dataset.features, [0, 1, Float(1.0 / 3.0), Float(2.0 / 3.0), 1, 0, 0, 1])
        XCTAssertEqual(t.missingPerFeature, [1, 1])
    }

    func testTooManyLevels() {
        var text = "id,x,y\n"
        for i in 0..<40 { text += "item\(i),\(i),\(i % 2)\n" }
        let e = loadError(text)
        XCTAssertEqual(e?.kind, .tooManyLevels)
        XCTAssertEqual(e?.column, 1)
        XCTAssertEqual(e?.field, "id")
        XCTAssertTrue(e?.message.contains("40") ?? false, e?.message ?? "")
        let raised = try? loadCSV(text) { $0.maxCategoricalLevels = 40 }
        XCTAssertEqual(raised?.dataset.featureCount, 41)
    }

    func testStrayWordInNumericColumnIsNotNumeric() {
        var text = "a,b,y\n"
        for i in 0..<99 { text += "\(i),\(i * 2),\(i % 2)\n" }
        text += "5,oops,1\n6,also,0\n"
        let e = loadError(text)
        XCTAssertEqual(e?.kind, .notNumeric)
        XCTAssertEqual(e?.line, 101)
        XCTAssertEqual(e?.column, 2)
        XCTAssertEqual(e?.field, "b")
        XCTAssertTrue(e?.message.contains("oops") ?? false)
    }

    func testWordBeforeNumbersStillReportsTheWord() {
        let e = loadError("a,b,y\n1,x,0\n2,3,1\n")
        XCTAssertEqual(e?.kind, .notNumeric)
        XCTAssertEqual(e?.line, 2)
        XCTAssertEqual(e?.column, 2)
    }
}
