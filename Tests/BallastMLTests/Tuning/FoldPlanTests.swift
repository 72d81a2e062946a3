import XCTest
@testable import BallastML

final class FoldPlanTests: XCTestCase {
    func testThreePositivesWithFiveFoldsUseThreeFoldsFiveTimes() throws {
        let plan = try FoldPlan.adapt(classCounts: [40, 3], classLabels: ["0", "1"], folds: 5, repeats: nil)
        XCTAssertEqual(plan, FoldPlan(requestedFolds: 5, folds: 3, repeats: 5, note:
            "Class '1' has only 3 rows, fewer than the 5 folds asked for: used 3 folds, repeated 5 times."))
    }

    func testAutoRepeatsFollowTheSmallestClass() throws {
        func plan(_ m: Int) throws -> FoldPlan {
            try FoldPlan.adapt(classCounts: [500, m], classLabels: ["no", "yes"], folds: 5, repeats: nil)
        }
        XCTAssertEqual(try plan(50), FoldPlan(requestedFolds: 5, folds: 5, repeats: 1, note: nil))
        XCTAssertEqual(try plan(49).repeats, 3)
        XCTAssertEqual(try plan(10).repeats, 3)
        XCTAssertEqual(try plan(10).note, "Class 'yes' has only 10 rows: the 5 folds were repeated 3 times for a steadier estimate.")
        XCTAssertEqual(try plan(9).repeats, 5)
        XCTAssertEqual(try plan(2), FoldPlan(requestedFolds: 5, folds: 2, repeats: 5, note:
            "Class 'yes' has only 2 rows, fewer than the 5 folds asked for: used 2 folds, repeated 5 times."))
    }

    func testExplicitRepeatsWinAndEmptyClassesAreIgnored() throws {
        let plan = try FoldPlan.adapt(classCounts: [0, 80, 4], classLabels: ["a", "b", "c"], folds: 5, repeats: 1)
        XCTAssertEqual(plan, FoldPlan(requestedFolds: 5, folds: 4, repeats: 1, note:
            "Class 'c' has only 4 rows, fewer than the 5 folds asked for: used 4 folds, not repeated."))
        XCTAssertEqual(try FoldPlan.adapt(classCounts: [80, 60], classLabels: ["a", "b"], folds: 3, repeats: 7),
                       FoldPlan(requestedFolds: 3, folds: 3, repeats: 7, note: nil))
    }

    func testOneRowOfAClassIsAClearError() {
        XCTAssertThrowsError(try FoldPlan.adapt(classCounts: [30, 1], classLabels: ["ok", "fraud"], folds: 5, repeats: nil)) {
            XCTAssertEqual($0 as? InvalidArgument, InvalidArgument(field: .dataset,
                message: "Class 'fraud' has only 1 row: cross-validation needs at least 2 rows of every class."))
        }
    }

    func testBadFoldsAndRepeatsNameTheirField() {
        XCTAssertThrowsError(try FoldPlan.adapt(classCounts: [30, 30], classLabels: ["a", "b"], folds: 1, repeats: nil)) {
            XCTAssertEqual(($0 as? InvalidArgument)?.field, .folds)
        }
        for repeats in [0, 21] {
            XCTAssertThrowsError(try FoldPlan.adapt(classCounts: [30, 30], classLabels: ["a", "b"], folds: 5, repeats: repeats)) {
                XCTAssertEqual(($0 as? InvalidArgument)?.field, .repeats)
            }
        }
    }

    func testRepeatZeroIsTodaysKFoldAndLaterRepeatsDiffer() throws {
        let classIndex: [Int32] = (0..<60).map { $0 % 4 == 0 ? 1 : 0 }
        let plan = try FoldPlan.adapt(classCounts: [45, 15], classLabels: ["0", "1"], folds: 5, repeats: nil)
        XCTAssertEqual(plan.repeats, 3)
        let held = try plan.heldOut(classIndex: classIndex, classCount: 2, seed: 42)
        XCTAssertEqual(held.count, 3)
        XCTAssertEqual(held[0], try Splitting.stratifiedKFold(classIndex: classIndex, classCount: 2, folds: 5, seed: 42))
        XCTAssertEqual(FoldPlan.seed(42, repeat: 0), 42)
        XCTAssertNotEqual(held[1], held[0])
        XCTAssertNotEqual(held[2], held[1])
        for folds in held {
            // Every repeat is a partition of all rows.
            XCTAssertEqual(folds.flatMap { $0 }.sorted(), Array(0..<60))
            for fold in folds { XCTAssertEqual(fold, fold.sorted()) }
        }
        XCTAssertEqual(try plan.heldOut(classIndex: classIndex, classCount: 2, seed: 42), held, "deterministic")
    }
}
