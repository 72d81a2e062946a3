import XCTest
@testable import BallastML

final class SplitTests: XCTestCase {
    /// 10,000 rows, classes 0/1/2 with 9,000 / 997 / 3 rows, interleaved.
    let labels: [Int32] = {
        var labels = [Int32](repeating: 0, count: 10_000)
        var random = SeededGenerator(seed: 99)
        var rare = Array(0..<10_000)
        random.shuffle(&rare)
        for row in rare.prefix(997) { labels[row] = 1 }
        for row in rare.dropFirst(997).prefix(3) { labels[row] = 2 }
        return labels
    }()

    func counts(_ rows: [Int]) -> [Int] {
        var counts = [0, 0, 0]
        for row in rows { counts[Int(labels[row])] += 1 }
        return counts
    }

    func testPartsAreDisjointCoverAllRowsAndAreStratified() throws {
        let split = try Splitting.stratifiedSplit(classIndex: labels, classCount: 3, test: 0.3, validation: 0.15, seed: 1)
        let all = split.train + split.validation + split.test
        XCTAssertEqual(all.count, 10_000)
        XCTAssertEqual(Set(all).count, 10_000)
        XCTAssertEqual(Set(all), Set(0..<10_000))
        XCTAssertEqual(split.train, split.train.sorted())
        let whole = [9_000.0, 997, 3]
        for (part, fraction) in [(split.train, 0.55), (split.test, 0.3), (split.validation, 0.15)] {
            let got = counts(part)
            for c in 0..<3 {
                XCTAssertLessThanOrEqual(abs(Double(got[c]) - whole[c] * fraction), 1, "class \(c) \(got)")
            }
        }
        // 3 rows × (0.55, 0.30, 0.15) = 1.65 / 0.9 / 0.45 → 2 train, 1 test, 0 validation.
        XCTAssertEqual(counts(split.train)[2], 2)
        XCTAssertEqual(counts(split.test)[2], 1)
        XCTAssertEqual(counts(split.validation)[2], 0)
    }

    func testSplitIsDeterministicAndSeedDependent() throws {
        let a = try Splitting.stratifiedSplit(classIndex: labels, classCount: 3, test: 0.3, validation: 0, seed: 5)
        let b = try Splitting.stratifiedSplit(classIndex: labels, classCount: 3, test: 0.3, validation: 0, seed: 5)
        let c = try Splitting.stratifiedSplit(classIndex: labels, classCount: 3, test: 0.3, validation: 0, seed: 6)
        XCTAssertEqual(a, b)
        XCTAssertNotEqual(a.test, c.test)
        XCTAssertEqual(a.validation, [])
        XCTAssertEqual(a.test.count, 2_700 + 299 + 1)  // 997 × 0.3 = 299.1; 3 × 0.3 = 0.9 → 1
    }

    func testFractionErrors() {
        func field(test: Double, validation: Double, labels: [Int32] = [0, 1, 0, 1], classCount: Int = 2) -> InputField? {
            do {
                _ = try Splitting.stratifiedSplit(classIndex: labels, classCount: classCount, test: test,
                                                  validation: validation, seed: 0)
                return nil
            } catch {
                XCTAssertFalse(error.message.isEmpty)
                return error.field
            }
        }
        XCTAssertEqual(field(test: 1, validation: 0), .testFraction)
        XCTAssertEqual(field(test: -0.1, validation: 0), .testFraction)
        XCTAssertEqual(field(test: .nan, validation: 0), .testFraction)
        XCTAssertEqual(field(test: 0.2, validation: 1), .validationFraction)
        XCTAssertEqual(field(test: 0.6, validation: 0.4), .validationFraction)
        XCTAssertEqual(field(test: 0.2, validation: 0, labels: [0, 2]), .classIndex)
        XCTAssertEqual(field(test: 0.2, validation: 0, labels: []), .classIndex)
        // Three rows at 45 % / 45 %: quotas 1.35 / 1.35 / 0.3 leave nothing for training.
        XCTAssertEqual(field(test: 0.45, validation: 0.45, labels: [0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]), .classIndex)
        // One row of a class: it goes to training, which is fine.
        XCTAssertNil(field(test: 0.3, validation: 0.2, labels: [0, 1, 1, 1, 1]))
        XCTAssertNil(field(test: 0, validation: 0))
    }

    func testKFoldIsDisjointCoveringAndStratified() throws {
        let folds = try Splitting.stratifiedKFold(classIndex: labels, classCount: 3, folds: 3, seed: 2)
        XCTAssertEqual(folds.count, 3)
        let all = folds.flatMap { $0 }
        XCTAssertEqual(all.count, 10_000)
        XCTAssertEqual(Set(all), Set(0..<10_000))
        for fold in folds {
            let got = counts(fold)
            XCTAssert([3_000].contains(got[0]), "\(got)")
            XCTAssert([332, 333].contains(got[1]), "\(got)")
            XCTAssertEqual(got[2], 1)
            XCTAssert([3_333, 3_334].contains(fold.count))
        }
        XCTAssertEqual(folds, try Splitting.stratifiedKFold(classIndex: labels, classCount: 3, folds: 3, seed: 2))
        XCTAssertNotEqual(folds, try Splitting.stratifiedKFold(classIndex: labels, classCount: 3, folds: 3, seed: 3))
    }

    func testKFoldSizesStayBalancedAcrossClasses() throws {
        // Each class leaves a remainder of 1 with 4 folds; the extra rows must rotate.
        let labels: [Int32] = Array(repeating: 0, count: 9) + Array(repeating: 1, count: 5) + Array(repeating: 2, count: 5)
        let folds = try Splitting.stratifiedKFold(classIndex: labels, classCount: 3, folds: 4, seed: 0)
        XCTAssertEqual(folds.map(\.count).sorted(), [4, 5, 5, 5])
    }

    func testKFoldErrors() {
        XCTAssertThrowsError(try Splitting.stratifiedKFold(classIndex: labels, classCount: 3, folds: 1, seed: 0)) {
            XCTAssertEqual(($0 as? InvalidArgument)?.field, .folds)
        }
        // Class 2 has three rows.
        XCTAssertThrowsError(try Splitting.stratifiedKFold(classIndex: labels, classCount: 3, folds: 4, seed: 0)) {
            let error = $0 as? InvalidArgument
            XCTAssertEqual(error?.field, .folds)
            XCTAssert(error?.message.contains("Class 2") == true, error?.message ?? "")
        }
        XCTAssertNoThrow(try Splitting.stratifiedKFold(classIndex: labels, classCount: 3, folds: 3, seed: 0))
    }
}
