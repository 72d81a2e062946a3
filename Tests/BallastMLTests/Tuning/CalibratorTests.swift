import XCTest
@testable import BallastML

/// Reference values from scikit-learn 1.9.1 on `TuningReference`'s data (the calls are named at each
/// assertion).
final class CalibratorTests: XCTestCase {
    let data = TuningReference.binary

    func testPlattMatchesScikitLearnsSigmoidCalibration() throws {
        // f = log(p) − log(1 − p); A, B = sklearn.calibration._sigmoid_calibration(f, y); a = −A, b = −B.
        // scikit-learn stops L-BFGS-B at gtol 1e-6; Newton here converges fully: agreement to 1e-5.
        let platt = try Calibrator.fit(.platt, classIndex: data.classIndex, probabilities: data.probabilities, classCount: 2,
                                       positiveClass: 1, effectiveWeights: nil)
        XCTAssertEqual(platt.parameters["a"]!, 0.6031212109661889, accuracy: 1e-5)
        XCTAssertEqual(platt.parameters["b"]!, 0.45263857141728764, accuracy: 1e-5)
        // Applied: σ(a·logit(p) + b), and the threshold map agrees with it.
        let calibrated = platt.apply(data.probabilities, classCount: 2)
        for (i, p) in data.positive.enumerated() {
            let z = 0.6031212109661889 * Foundation.log(Double(p) / (1 - Double(p))) + 0.45263857141728764
            XCTAssertEqual(Double(calibrated[2 * i + 1]), 1 / (1 + Foundation.exp(-z)), accuracy: 1e-5)
            XCTAssertEqual(calibrated[2 * i] + calibrated[2 * i + 1], 1, accuracy: 1e-6)
            XCTAssertEqual(platt.calibratedThreshold(Double(p), positiveClass: 1), Double(calibrated[2 * i + 1]), accuracy: 1e-6)
        }
    }

    func testIsotonicMatchesScikitLearn() throws {
        // IsotonicRegression(out_of_bounds="clip", y_min=0, y_max=1).fit(p, y).predict(q): 12 fitted points.
        let isotonic = try Calibrator.fit(.isotonic, classIndex: data.classIndex, probabilities: data.probabilities, classCount: 2,
                                          positiveClass: 1, effectiveWeights: nil)
        XCTAssertEqual(isotonic.parameters, ["points": 12])
        let q = [0.0, 0.05, 0.2, 0.33, 0.5, 0.61, 0.77, 0.9, 1.0]
        let expected = [0.0, 0.0, 0.22269503546099295, 0.6666666666666666, 0.7272727272727273, 0.7272727272727273,
                        0.7272727272727273, 1.0, 1.0]
        for (x, y) in zip(q, expected) {
            XCTAssertEqual(isotonic.calibratedThreshold(x, positiveClass: 1), y, accuracy: 1e-12, "q \(x)")
        }
        let applied = isotonic.apply(q.flatMap { [Float(1 - $0), Float($0)] }, classCount: 2)
        for (i, y) in expected.enumerated() { XCTAssertEqual(Double(applied[2 * i + 1]), y, accuracy: 1e-7) }
        // Isotonic does not fold into a model.
        XCTAssertNil(isotonic.folded(into: Self.logisticModel(positiveClass: 1)))
    }

    func testIsotonicIsBinaryOnly() {
        let m = TuningReference.multiclass
        XCTAssertThrowsError(try Calibrator.fit(.isotonic, classIndex: m.classIndex, probabilities: m.probabilities, classCount: 3,
                                                positiveClass: nil, effectiveWeights: nil)) {
            XCTAssertEqual(($0 as? InvalidArgument)?.field, .calibration)
        }
    }

    func testTemperatureMatchesScikitLearn() throws {
        // sklearn.calibration._TemperatureScaling().fit(P, y).beta_ = 1.059649214011542 → T = 1 / β.
        let m = TuningReference.multiclass
        let calibrator = try Calibrator.fit(.platt, classIndex: m.classIndex, probabilities: m.probabilities, classCount: 3,
                                            positiveClass: nil, effectiveWeights: nil)
        XCTAssertEqual(calibrator.parameters.keys.sorted(), ["T"])
        XCTAssertEqual(calibrator.parameters["T"]!, 0.943708528046063, accuracy: 1e-7)
        // The fitted β is a stationary point of the mean log loss.
        let logits = TemperatureScaling.logits(m.probabilities)
        let at = TemperatureScaling.lossAndDerivatives(beta: 1 / calibrator.temperature, logits: logits, classIndex: m.classIndex, classCount: 3)
        XCTAssertEqual(at.first, 0, accuracy: 1e-10)
        XCTAssertGreaterThan(at.second, 0)
    }

    func testTemperatureDerivativesMatchFiniteDifferences() {
        let m = TuningReference.multiclass
        let logits = TemperatureScaling.logits(m.probabilities)
        let h = 1e-5
        for beta in [0.3, 1.0, 1.7, 4.0] {
            func f(_ b: Double) -> (loss: Double, first: Double, second: Double) {
                TemperatureScaling.lossAndDerivatives(beta: b, logits: logits, classIndex: m.classIndex, classCount: 3)
            }
            let here = f(beta), up = f(beta + h), down = f(beta - h)
            XCTAssertEqual(here.first, (up.loss - down.loss) / (2 * h), accuracy: 1e-7 * max(1, abs(here.first)), "β \(beta)")
            XCTAssertEqual(here.second, (up.first - down.first) / (2 * h), accuracy: 1e-6 * max(1, abs(here.second)), "β \(beta)")
        }
    }

    func testPriorIsPriorCorrectionAndItsThresholdMap() throws {
        let weights = [0.25, 3.0]
        let prior = try Calibrator.fit(.prior, classIndex: data.classIndex, probabilities: data.probabilities, classCount: 2,
                                       positiveClass: 1, effectiveWeights: weights)
        XCTAssertEqual(prior.apply(data.probabilities, classCount: 2),
                       PriorCorrection.corrected(probabilities: data.probabilities, classCount: 2, classWeights: weights))
        XCTAssertEqual(prior.parameters["shift"]!, Foundation.log(12), accuracy: 1e-15)
        let corrected = prior.apply(data.probabilities, classCount: 2)
        for (i, p) in data.positive.enumerated() {
            XCTAssertEqual(prior.calibratedThreshold(Double(p), positiveClass: 1), Double(corrected[2 * i + 1]), accuracy: 1e-6)
            // On the other class's probability: 1 − cal(1 − t).
            XCTAssertEqual(prior.calibratedThreshold(1 - Double(p), positiveClass: 0), Double(corrected[2 * i]), accuracy: 1e-6)
        }
        XCTAssertThrowsError(try Calibrator.fit(.prior, classIndex: data.classIndex, probabilities: data.probabilities, classCount: 2,
                                                positiveClass: 1, effectiveWeights: [1, 0])) {
            XCTAssertEqual(($0 as? InvalidArgument)?.field, .calibration)
        }
        // No known shift (focal loss): the identity.
        let none = try Calibrator.fit(.prior, classIndex: data.classIndex, probabilities: data.probabilities, classCount: 2,
                                      positiveClass: 1, effectiveWeights: nil)
        XCTAssertEqual(none.apply(data.probabilities, classCount: 2), data.probabilities)
    }

    func testReliabilityMatchesCalibrationCurve() {
        // calibration_curve(y, p, n_bins=10, strategy="uniform"); counts from np.searchsorted on the inner edges.
        // p = 0.5 (three rows) falls in the bin [0.4, 0.5], as in scikit-learn.
        let curve = Reliability.curve(classIndex: data.classIndex, probabilities: data.probabilities, classCount: 2, positiveClass: 1)
        let fraction = [0.0, 0.0, 0.4, 0.6666666666666666, 1.0, 0.0, 1.0, 0.5, 0.6666666666666666, 1.0]
        let mean = [0.0634765625, 0.13232421875, 0.2564453125, 0.318359375, 0.4921875, 0.5771484375, 0.65185546875, 0.78125,
                    0.8177083333333334, 0.9365234375]
        let counts = [1, 2, 5, 3, 4, 1, 2, 2, 3, 1]
        XCTAssertEqual(curve.map(\.count), counts)
        for (bin, (f, m)) in zip(curve, zip(fraction, mean)) {
            XCTAssertEqual(bin.fractionPositive, f, accuracy: 1e-15)
            XCTAssertEqual(bin.meanPredicted, m, accuracy: 1e-15)
        }
        // Multiclass: top-class confidence against correctness,
        // calibration_curve(P.argmax(1) == y, P.max(1), n_bins=10).
        let m = TuningReference.multiclass
        let multi = Reliability.curve(classIndex: m.classIndex, probabilities: m.probabilities, classCount: 3, positiveClass: nil)
        let multiFraction = [0.0, 0.5, 0.8, 0.8571428571428571, 0.5, 1.0]
        let multiMean = [0.47764405608177185, 0.5388943056265513, 0.6614836931228638, 0.764271787234715, 0.8575608432292938,
                         0.9500266313552856]
        XCTAssertEqual(multi.count, 6)
        for (bin, (f, mp)) in zip(multi, zip(multiFraction, multiMean)) {
            XCTAssertEqual(bin.fractionPositive, f, accuracy: 1e-15)
            XCTAssertEqual(bin.meanPredicted, mp, accuracy: 1e-12)
        }
    }

    func testDegenerateDataGiveFiniteCalibrators() throws {
        // One class only: Platt's smoothed targets keep the optimum finite; P(positive) ends near 1/(N₋ + 2).
        let negatives: [Int32] = [0, 0, 0, 0]
        let probabilities: [Float] = [0.9, 0.1, 0.8, 0.2, 0.7, 0.3, 0.6, 0.4]
        let platt = try Calibrator.fit(.platt, classIndex: negatives, probabilities: probabilities, classCount: 2,
                                       positiveClass: 1, effectiveWeights: nil)
        XCTAssertTrue(platt.parameters.values.allSatisfy(\.isFinite), "\(platt.parameters)")
        let calibrated = platt.apply(probabilities, classCount: 2)
        XCTAssertEqual(calibrated.enumerated().filter { $0.offset % 2 == 1 }.map(\.element).reduce(0, +) / 4, 1 / 6, accuracy: 1e-3)
        // One distinct score: isotonic is the constant fraction of positives.
        let isotonic = try Calibrator.fit(.isotonic, classIndex: [0, 1, 1, 0], probabilities: [Float](repeating: 0.5, count: 8),
                                          classCount: 2, positiveClass: 1, effectiveWeights: nil)
        XCTAssertEqual(isotonic.calibratedThreshold(0.9, positiveClass: 1), 0.5)
        XCTAssertEqual(isotonic.calibratedThreshold(0.1, positiveClass: 1), 0.5)
        // Every row right and confident: the loss falls as T → 0 until it is flat in Double; the fit stops
        // there with a small finite T (scikit-learn's search stops at T ≈ 0.094 on this data).
        let sure = try Calibrator.fit(.platt, classIndex: [0, 1, 2], probabilities: [0.98, 0.01, 0.01, 0.01, 0.98, 0.01, 0.01, 0.01, 0.98],
                                      classCount: 3, positiveClass: nil, effectiveWeights: nil)
        let t = sure.parameters["T"]!
        XCTAssertTrue(t > Foundation.exp(-10) && t < 0.2, "T \(t)")
        let sharpened = sure.apply([0.98, 0.01, 0.01, 0.01, 0.98, 0.01, 0.01, 0.01, 0.98], classCount: 3)
        XCTAssertGreaterThan(sharpened[0], 0.999999)
        // No rows: the identity.
        let empty = try Calibrator.fit(.platt, classIndex: [], probabilities: [], classCount: 2, positiveClass: 1, effectiveWeights: nil)
        XCTAssertEqual(empty.apply(probabilities, classCount: 2), probabilities)
    }

    // MARK: Folding into a model

    func testFoldedLogisticPredictsTheCalibratedProbabilities() throws {
        for positive in [1, 0] {
            let model = Self.logisticModel(positiveClass: positive)
            try checkFolding(model, methods: [.platt, .prior], weights: [0.2, 1.7])
        }
    }

    func testFoldedBinaryMLPPredictsTheCalibratedProbabilities() throws {
        var generator = SeededGenerator(seed: 11)
        let model = TrainedModel(kind: .mlp(hidden: [4]), classLabels: ["no", "yes"], positiveClass: 1,
                                 schema: .numeric(["a", "b", "c"]),
                                 layers: [Self.layer(3, 4, &generator), Self.layer(4, 1, &generator)])
        try checkFolding(model, methods: [.platt, .prior], weights: [1, 6])
    }

    func testFoldedSoftmaxPredictsTheCalibratedProbabilities() throws {
        var generator = SeededGenerator(seed: 12)
        let model = TrainedModel(kind: .softmax, classLabels: ["a", "b", "c"], positiveClass: nil,
                                 schema: .numeric(["x", "y", "z"]), layers: [Self.layer(3, 3, &generator)])
        try checkFolding(model, methods: [.platt, .prior], weights: [0.5, 2, 4])
    }

    /// For each method: fit on the model's own probabilities, then the folded model's probabilities must
    /// equal `apply` on the unfolded model's.
    private func checkFolding(_ model: TrainedModel, methods: [CalibrationMethod], weights: [Double],
                              file: StaticString = #filePath, line: UInt = #line) throws {
        var generator = SeededGenerator(seed: 5)
        let k = model.classLabels.count
        let rows = (0..<60).map { _ in (0..<3).map { _ in Float(generator.nextUnit() * 4 - 2) } }
        let raw = try model.probabilities(rows: rows)
        // Truth drawn from a tempered version of the model, so the calibrators have something to fix.
        let truth: [Int32] = (0..<rows.count).map { i in
            let u = generator.nextUnit()
            var total = 0.0
            for c in 0..<k {
                total += Double(raw[i * k + c])
                if u < total * 0.7 + Double(c + 1) / Double(k) * 0.3 { return Int32(c) }
            }
            return Int32(k - 1)
        }
        for method in methods {
            let calibrator = try Calibrator.fit(method, classIndex: truth, probabilities: raw, classCount: k,
                                                positiveClass: model.positiveClass, effectiveWeights: weights)
            let folded = try XCTUnwrap(calibrator.folded(into: model), "\(method)", file: file, line: line)
            XCTAssertNotEqual(folded, model, "\(method) changed nothing", file: file, line: line)
            let expected = calibrator.apply(raw, classCount: k)
            let actual = try folded.probabilities(rows: rows)
            XCTAssertNotEqual(expected, raw, "\(method) is the identity here", file: file, line: line)
            for (e, a) in zip(expected, actual) {
                XCTAssertEqual(a, e, accuracy: 2e-6, "\(method) on \(model.kind), positive \(String(describing: model.positiveClass))",
                               file: file, line: line)
            }
        }
    }

    static func logisticModel(positiveClass: Int) -> TrainedModel {
        TrainedModel(kind: .logistic, classLabels: ["neg", "pos"], positiveClass: positiveClass, schema: .numeric(["a", "b", "c"]),
                     layers: [DenseLayer(inputs: 3, outputs: 1, weights: [0.8, -1.3, 0.4], bias: [-0.6])])
    }

    static func layer(_ inputs: Int, _ outputs: Int, _ generator: inout SeededGenerator) -> DenseLayer {
        DenseLayer(inputs: inputs, outputs: outputs,
                   weights: (0..<(inputs * outputs)).map { _ in Float(generator.nextUnit() * 2 - 1) },
                   bias: (0..<outputs).map { _ in Float(generator.nextUnit() - 0.5) })
    }
}
