import BallastML
import Foundation
import XCTest
@testable import BallastStore

/// Training on a dataset whose features are a mapped row file: the same model as in memory, bit
/// for bit, and the file's pages do not stay resident behind the passes.
final class RowFileTrainingTests: XCTestCase {
    /// Rows enough for several chunks of a pass (4,096 rows a chunk), so releasing behind chunks
    /// and splitting the work between threads are both exercised.
    private func data(classes: Int) throws -> Dataset {
        let raw = try SyntheticData.generate(SyntheticSpec(rows: 12_000, features: 7, informative: 4,
                                                           classProportions: classes == 2 ? [0.85, 0.15] : [0.5, 0.3, 0.2],
                                                           separation: 1.5, labelNoise: 0.02, seed: 21))
        return try Standardizer.fit(raw).apply(raw)
    }

    private func backed(_ data: Dataset) throws -> Dataset {
        let path = try temporaryStateDirectory(self).path + "/train.rows"
        let backed = try DatasetRowFileTests.writeRowFile(data, to: path, windows: 5, deleteWhenUnused: true)
        XCTAssertTrue(backed.features.isBacked)
        return backed
    }

    private func assertSameTraining(_ config: TrainingConfig, classes: Int, file: StaticString = #filePath, line: UInt = #line) throws {
        let data = try data(classes: classes)
        let onDisk = try backed(data)
        let inMemory = try Trainer.train(config, on: data, threads: .fixed(3))
        let mapped = try Trainer.train(config, on: onDisk, threads: .fixed(3))
        XCTAssertGreaterThan(inMemory.steps, 1, file: file, line: line)
        let weights = { (model: TrainedModel) in model.layers.flatMap { $0.weights + $0.bias }.map(\.bitPattern) }
        XCTAssertEqual(weights(mapped.model), weights(inMemory.model), "\(config.model) \(config.optimizer)", file: file, line: line)
        XCTAssertEqual(mapped.model, inMemory.model, file: file, line: line)
        XCTAssertEqual(mapped.objective.bitPattern, inMemory.objective.bitPattern, file: file, line: line)
        XCTAssertEqual(mapped.steps, inMemory.steps, file: file, line: line)
        XCTAssertEqual(mapped.stopReason, inMemory.stopReason, file: file, line: line)
        XCTAssertEqual(mapped.history.map(\.objective.bitPattern), inMemory.history.map(\.objective.bitPattern), file: file, line: line)

        // Scoring and metrics read the mapped rows too.
        let p = try inMemory.model.probabilities(data)
        let q = try inMemory.model.probabilities(onDisk)
        XCTAssertEqual(q.map(\.bitPattern), p.map(\.bitPattern), file: file, line: line)
        let report = { (probabilities: [Float]) in
            Metrics.report(classIndex: data.classIndex, probabilities: probabilities, classCount: data.classCount,
                           classLabels: data.classLabels, positiveClass: data.positiveClass, threshold: .standard)
        }
        XCTAssertEqual(report(q), report(p), file: file, line: line)
        XCTAssertEqual(Trainer.objective(config, model: inMemory.model, on: onDisk).bitPattern,
                       Trainer.objective(config, model: inMemory.model, on: data).bitPattern, file: file, line: line)
    }

    func testLBFGSLogisticIsBitIdentical() throws {
        try assertSameTraining(TrainingConfig(model: .logistic, optimizer: .lbfgs(tolerance: 1e-10, maxIterations: 60)), classes: 2)
    }

    func testWeightedLBFGSLogisticIsBitIdentical() throws {
        try assertSameTraining(TrainingConfig(model: .logistic, optimizer: .lbfgs(tolerance: 1e-10, maxIterations: 60),
                                              classWeights: [0.6, 3.3]), classes: 2)
    }

    func testLBFGSSoftmaxIsBitIdentical() throws {
        try assertSameTraining(TrainingConfig(model: .softmax, optimizer: .lbfgs(tolerance: 1e-10, maxIterations: 60)), classes: 3)
    }

    func testAdamIsBitIdentical() throws {
        try assertSameTraining(TrainingConfig(model: .logistic, optimizer: .adam(learningRate: 1e-2, epochs: 3, batchSize: 256),
                                              seed: 4), classes: 2)
    }

    func testSGDIsBitIdentical() throws {
        try assertSameTraining(TrainingConfig(model: .softmax, optimizer: .sgd(learningRate: 0.05, epochs: 3, batchSize: 128, momentum: 0.9),
                                              seed: 9), classes: 3)
    }

    func testMLPIsBitIdentical() throws {
        try assertSameTraining(TrainingConfig(model: .mlp(hidden: [6]), optimizer: .adam(learningRate: 1e-2, epochs: 2, batchSize: 512),
                                              seed: 2), classes: 3)
        try assertSameTraining(TrainingConfig(model: .mlp(hidden: [5]), optimizer: .lbfgs(tolerance: 1e-10, maxIterations: 15),
                                              seed: 3), classes: 2)
    }

    /// A pass over a mapped file of tens of MB leaves far less than the file resident: each chunk's
    /// pages are released once read. The control (reading without releasing) shows the
    /// measurement does see mapped pages, so the bound is not met by accident.
    func testResidentMemoryStaysFarBelowTheFileAfterAPass() throws {
        let rows = 400_000, width = 24   // 38.4 MB of features
        var features = [Float](repeating: 0, count: rows * width)
        for i in features.indices { features[i] = Float(i % 977) * 0.001 - 0.4 }
        let classes = (0..<rows).map { Int32($0 % 7 == 0 ? 1 : 0) }
        let inMemory = Dataset(schema: .numeric((0..<width).map { "f\($0)" }), features: features, classIndex: classes,
                               classLabels: ["0", "1"], positiveClass: 1)
        let fileBytes = rows * width * 4
        let data = try backed(inMemory)
        features = []
        XCTAssertEqual(data.residentBytes, rows * 4)
        let model = TrainedModel(kind: .logistic, classLabels: ["0", "1"], positiveClass: 1, schema: data.schema,
                                 layers: [DenseLayer(inputs: width, outputs: 1, weights: (0..<width).map { Float($0) * 0.01 }, bias: [0.1])])
        let config = TrainingConfig(model: .logistic)

        let before = try residentFileBytes()
        let objective = Trainer.objective(config, model: model, on: data)
        let afterObjective = try residentFileBytes()
        let probabilities = try model.probabilities(data, threads: .fixed(2))
        let afterScoring = try residentFileBytes()
        XCTAssertTrue(objective.isFinite)
        XCTAssertEqual(probabilities.count, rows * 2)
        XCTAssertLessThan(afterObjective - before, fileBytes / 2, "a training pass")
        XCTAssertLessThan(afterScoring - before, fileBytes / 2, "a scoring pass")
        XCTAssertEqual(DatasetFingerprint.of(data), DatasetFingerprint.of(inMemory))
        XCTAssertLessThan(try residentFileBytes() - before, fileBytes / 2, "a fingerprint")

        // The control: touching every page without releasing makes the file resident.
        let sum = data.features.withUnsafeBufferPointer { values in
            stride(from: 0, to: values.count, by: 256).reduce(Float(0)) { $0 + values[$1] }
        }
        XCTAssertTrue(sum.isFinite)
        let touched = try residentFileBytes()
        XCTAssertGreaterThan(touched - before, fileBytes / 2, "reading without releasing is seen")
        data.features.release(rows: 0..<rows, width: width)
        XCTAssertLessThan(try residentFileBytes() - before, fileBytes / 2, "released again")
    }

    /// `RssFile` of /proc/self/status: the file-backed pages this process has resident, in bytes.
    private func residentFileBytes() throws -> Int {
        let status = try String(contentsOfFile: "/proc/self/status", encoding: .utf8)
        guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix("RssFile:") }),
              let kilobytes = Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "")
        else { throw XCTSkip("this kernel's /proc/self/status has no RssFile line") }
        return kilobytes * 1024
    }
}
