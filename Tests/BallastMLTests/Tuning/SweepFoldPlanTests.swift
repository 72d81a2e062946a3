import XCTest
@testable import BallastML

final class SweepFoldPlanTests: XCTestCase {
    func testASweepWithThreePositivesUsesThreeFoldsRepeatedFiveTimes() throws {
        var data = try SyntheticData.generate(SyntheticSpec(rows: 200, features: 4, informative: 2,
                                                            classProportions: [0.985, 0.015], separation: 2, seed: 1))
        XCTAssertEqual(data.classCounts[1], 3)
        data.positiveClass = 1
        let outcome = try XCTUnwrap(Sweep.run(data: data, parameter: .w, grid: [0.5, 0.9], folds: 5, metric: .f1,
                                              base: TrainingConfig(seed: 2), l2: nil))
        XCTAssertEqual(outcome.plan.folds, 3)
        XCTAssertEqual(outcome.plan.repeats, 5)
        XCTAssertNotNil(outcome.plan.note)
        XCTAssertEqual(outcome.points.map(\.folds.count), [15, 15])
    }

    func testASweepIsTheSameOnOneOrTwoThreadsAndMatchesPlainKFoldWithOneRepeat() throws {
        let data = try SyntheticData.generate(SyntheticSpec(rows: 1_000, features: 4, informative: 2,
                                                            classProportions: [0.9, 0.1], separation: 1.5, seed: 1))
        let base = TrainingConfig(seed: 3)
        let one = try XCTUnwrap(Sweep.run(data: data, parameter: .gamma, grid: [0, 2], folds: 4, metric: .f1, base: base,
                                          l2: nil, threads: .fixed(1)))
        let two = try XCTUnwrap(Sweep.run(data: data, parameter: .gamma, grid: [0, 2], folds: 4, metric: .f1, base: base,
                                          l2: nil, threads: .fixed(2)))
        XCTAssertEqual(one, two)
        XCTAssertEqual(one.plan.repeats, 1)
        // 100 positives: one repeat, the base seed's folds, as before the fold plan.
        let folds = try Splitting.stratifiedKFold(classIndex: data.classIndex, classCount: 2, folds: 4, seed: 3)
        let test = data.selecting(rows: folds[2])
        let train = data.selecting(rows: (0..<data.rowCount).filter { !folds[2].contains($0) })
        var config = base
        config.l2 = Comparison.defaultL2(config, train)
        let model = try Trainer.train(config, on: train, threads: .fixed(1)).model
        let report = Metrics.report(classIndex: test.classIndex, probabilities: try model.probabilities(test), classCount: 2,
                                    classLabels: test.classLabels, positiveClass: model.positiveClass, threshold: .standard)
        XCTAssertEqual(one.points[0].folds[2], report.score(.f1))
    }

    func testACancelledSweepReturnsNil() throws {
        let data = try SyntheticData.generate(SyntheticSpec(rows: 300, features: 4, informative: 2,
                                                            classProportions: [0.9, 0.1], separation: 1.5, seed: 1))
        XCTAssertNil(try Sweep.run(data: data, parameter: .w, grid: [0.5], folds: 3, metric: .f1, base: TrainingConfig(),
                                   l2: nil, isCancelled: { true }))
    }
}
