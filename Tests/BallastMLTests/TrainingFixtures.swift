import Foundation
@testable import BallastML

/// Datasets shared by the training tests, the export for the reference scripts and the benchmark.
enum TrainingFixtures {
    /// 2,000 × 8, binary (10 % positives, class "1" positive), standardized: the scikit-learn parity data.
    static func binary() throws -> Dataset {
        let raw = try SyntheticData.generate(SyntheticSpec(rows: 2_000, features: 8, informative: 4,
                                                           classProportions: [0.9, 0.1], separation: 1.5,
                                                           labelNoise: 0.02, seed: 7))
        return try Standardizer.fit(raw).apply(raw)
    }

    /// 2,000 × 8, three classes 60/30/10 %, standardized: the multinomial parity data.
    static func multiclass() throws -> Dataset {
        let raw = try SyntheticData.generate(SyntheticSpec(rows: 2_000, features: 8, informative: 4,
                                                           classProportions: [0.6, 0.3, 0.1], separation: 1.5,
                                                           seed: 8))
        return try Standardizer.fit(raw).apply(raw)
    }

    /// A small dataset for gradient checks and behaviour tests.
    static func small(rows: Int = 300, features: Int = 5, classes: Int = 2, seed: UInt64 = 3) throws -> Dataset {
        let proportions: [Double] = classes == 2 ? [0.8, 0.2] : [0.5, 0.3, 0.2]
        let raw = try SyntheticData.generate(SyntheticSpec(rows: rows, features: features, informative: min(3, features),
                                                           classProportions: proportions, separation: 1.5, seed: seed))
        return try Standardizer.fit(raw).apply(raw)
    }

    /// The fraud preset's stratified 70 % training part (seed 0), standardized on itself: the benchmark data.
    static func fraudTrain() throws -> Dataset {
        let all = try SyntheticData.generate(.fraud(seed: 0))
        let split = try Splitting.stratifiedSplit(classIndex: all.classIndex, classCount: all.classCount,
                                                  test: 0.3, validation: 0, seed: 0)
        let train = all.selecting(rows: split.train)
        return try Standardizer.fit(train).apply(train)
    }

    /// J at the starting parameters: an L-BFGS run whose tolerance is met at once stops there.
    static func startingObjective(_ config: TrainingConfig, on data: Dataset) throws -> Double {
        var probe = config
        probe.optimizer = .lbfgs(tolerance: 1e300, maxIterations: 1, memory: 1)
        return try Trainer.train(probe, on: data, observer: .silent).objective
    }

    static func write(_ data: Dataset, to folder: String, name: String) throws {
        try data.features.withUnsafeBytes { Data($0) }.write(to: URL(fileURLWithPath: "\(folder)/\(name)_X.bin"))
        try data.classIndex.withUnsafeBytes { Data($0) }.write(to: URL(fileURLWithPath: "\(folder)/\(name)_y.bin"))
    }
}
