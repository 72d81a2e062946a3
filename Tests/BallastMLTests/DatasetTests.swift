import XCTest
@testable import BallastML

final class DatasetTests: XCTestCase {
    func testSelectingRowsCopiesFeaturesAndClasses() {
        let data = Dataset(featureNames: ["a", "b"], features: [1, 2, 3, 4, 5, 6],
                           classIndex: [0, 1, 0], classLabels: ["no", "yes"], positiveClass: 1)
        let picked = data.selecting(rows: [2, 1, 2])
        XCTAssertEqual(picked.features, [5, 6, 3, 4, 5, 6])
        XCTAssertEqual(picked.classIndex, [0, 1, 0])
        XCTAssertEqual(picked.classCounts, [2, 1])
        XCTAssertEqual(data.byteCount, 6 * 4 + 3 * 4)
    }
}
