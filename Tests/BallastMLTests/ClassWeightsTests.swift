import XCTest
@testable import BallastML

/// Expected values come from Reference/class_weights_reference.py (scikit-learn 1.9.1's
/// compute_class_weight and numpy evaluations of the published formulas), compared to 1e-12 relative.
final class ClassWeightsTests: XCTestCase {
    let fraud = [284_315, 492]
    let three = [700, 200, 100]
    let four = [5_000, 1_200, 37, 3]

    func labels(_ counts: [Int]) -> [String] { counts.indices.map(String.init) }

    func weights(_ scheme: WeightScheme, _ counts: [Int], positive: Int? = nil) throws -> ClassWeights {
        try ClassWeights.compute(scheme, classCounts: counts, classLabels: labels(counts),
                                 positiveClass: positive ?? (counts.count == 2 ? 1 : nil))
    }

    func assertClose(_ got: [Double], _ want: [Double], relative: Double = 1e-12, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(got.count, want.count, file: file, line: line)
        for (g, w) in zip(got, want) {
            XCTAssertLessThanOrEqual(abs(g - w), relative * abs(w), "\(got) vs \(want)", file: file, line: line)
        }
    }

    func testBalancedMatchesScikitLearn() throws {
        let f = try weights(.balanced, fraud)
        assertClose(f.weights, [0.5008652375006595, 289.4380081300813])
        XCTAssertEqual(f.normalization, .meanSampleWeight1)
        assertClose([try XCTUnwrap(f.posWeight)], [289.4380081300813 / 0.5008652375006595])
        assertClose(try weights(.balanced, three).weights, [0.47619047619047616, 1.6666666666666667, 3.3333333333333335])
        assertClose(try weights(.balanced, four).weights, [0.312, 1.3, 42.16216216216216, 520.0])
        XCTAssertNil(try weights(.balanced, three).posWeight)
    }

    func testInverseIsTheSeedWeight() throws {
        let f = try weights(.inverse, fraud)
        assertClose(f.weights, [0.0017274856306200338, 0.9982725143693799])
        assertClose([f.weights[1]], [284_315.0 / 284_807.0])  // n_majority / n
        XCTAssertEqual(f.normalization, .sumTo1)
        assertClose([try XCTUnwrap(f.posWeight)], [284_315.0 / 492.0])
        assertClose(try weights(.inverse, three).weights, [0.08695652173913043, 0.30434782608695654, 0.6086956521739131])
        assertClose(try weights(.inverse, four).weights,
                    [0.0005534130879702453, 0.002305887866542689, 0.07478555242841153, 0.9223551466170755])
    }

    func testInverseSqrt() throws {
        assertClose(try weights(.inverseSqrt, fraud).weights, [0.03993761441072377, 0.9600623855892761])
        assertClose(try weights(.inverseSqrt, three).weights, [0.1812717298023518, 0.3391283534141298, 0.4795999167835185])
        assertClose(try weights(.inverseSqrt, four).weights,
                    [0.01802099412087754, 0.0367852002115379, 0.20948980143682633, 0.7357040042307582])
        XCTAssertEqual(try weights(.inverseSqrt, three).normalization, .sumTo1)
    }

    func testEffectiveNumber() throws {
        // β^n underflows for the fraud counts at β = 0.9, so both classes get the same weight.
        assertClose(try weights(.effectiveNumber(beta: 0.9), fraud).weights, [1, 1])
        assertClose(try weights(.effectiveNumber(beta: 0.999), fraud).weights, [0.5598540370298448, 1.4401459629701552])
        assertClose(try weights(.effectiveNumber(beta: 0.9999), fraud).weights, [0.09162423046161722, 1.908375769538383])
        assertClose(try weights(.effectiveNumber(beta: 0.9), three).weights,
                    [0.9999911458084234, 0.9999911465139251, 1.0000177076776517])
        assertClose(try weights(.effectiveNumber(beta: 0.999), three).weights,
                    [0.3308983057984859, 0.918861508508833, 1.7502401856926815])
        assertClose(try weights(.effectiveNumber(beta: 0.9999), three).weights,
                    [0.267649524533759, 0.9138145113893286, 1.8185359640769123])
        assertClose(try weights(.effectiveNumber(beta: 0.9), four).weights,
                    [0.596060155679853, 0.596060155679853, 0.6083957193419425, 2.1994839692983508])
        assertClose(try weights(.effectiveNumber(beta: 0.999), four).weights,
                    [0.011074903634405931, 0.01573773864191199, 0.3026954335853987, 3.670491924138284])
        assertClose(try weights(.effectiveNumber(beta: 0.9999), four).weights,
                    [0.002811428143419805, 0.009782504604295082, 0.29952592619706847, 3.6878801410552167])
        let zero = try weights(.effectiveNumber(beta: 0), four)
        XCTAssertEqual(zero.weights, [1, 1, 1, 1])
        XCTAssertEqual(zero.normalization, .sumToK)
        // β close to 1 tends to inverse frequency (rescaled to sum to K).
        let nearOne = try weights(.effectiveNumber(beta: 1 - 1e-12), three).weights
        assertClose(nearOne, try weights(.inverse, three).weights.map { $0 * 3 }, relative: 1e-6)
    }

    func testBinarySeedForm() throws {
        let w = try weights(.binary(w: 0.9), fraud)
        XCTAssertEqual(w.weights, [1 - 0.9, 0.9])
        XCTAssertEqual(w.normalization, .sumTo1)
        assertClose([try XCTUnwrap(w.posWeight)], [0.9 / (1 - 0.9)])
        // Positive class 0: the weight follows it.
        let flipped = try ClassWeights.compute(.binary(w: 0.8), classCounts: [10, 90], classLabels: ["yes", "no"], positiveClass: 0)
        XCTAssertEqual(flipped.weights, [0.8, 1 - 0.8])
        // No positive class given: the rarer class is positive.
        let inferred = try ClassWeights.compute(.binary(w: 0.7), classCounts: [10, 90], classLabels: ["a", "b"], positiveClass: nil)
        XCTAssertEqual(inferred.weights, [0.7, 1 - 0.7])
    }

    func testCustomWeights() throws {
        let w = try ClassWeights.compute(.custom(["legit": 1, "fraud": 25]), classCounts: [900, 100],
                                         classLabels: ["legit", "fraud"], positiveClass: 1)
        XCTAssertEqual(w.weights, [1, 25])
        XCTAssertEqual(w.normalization, .none)
        XCTAssertEqual(w.posWeight, 25)
    }

    func testCostMatrix() throws {
        let matrix: [[Double]] = [[0, 1, 1], [5, 0, 2], [10, 10, 0]]
        let w = try weights(.cost(matrix), three)
        assertClose(w.weights, [0.06896551724137931, 0.2413793103448276, 0.6896551724137931])
        XCTAssertEqual(w.normalization, .sumTo1)
        // Binary: the weight ratio is the cost ratio (Elkan); the diagonal is ignored.
        let b = try weights(.cost([[7, 1], [50, 3]]), fraud)
        assertClose([try XCTUnwrap(b.posWeight)], [50])
    }

    func testErrorsNameTheFieldAndSayWhy() {
        func failure(_ scheme: WeightScheme, _ counts: [Int], labels: [String]? = nil, positive: Int? = nil) -> InvalidArgument? {
            do {
                _ = try ClassWeights.compute(scheme, classCounts: counts, classLabels: labels ?? self.labels(counts),
                                             positiveClass: positive)
                return nil
            } catch {
                return error
            }
        }
        XCTAssertEqual(failure(.inverse, [10, 0])?.field, .classCounts)
        XCTAssert(failure(.inverse, [10, 0])?.message.contains("'1' has no rows") == true)
        XCTAssertEqual(failure(.balanced, [10])?.field, .classCounts)
        XCTAssertEqual(failure(.balanced, [10, 5], labels: ["a"])?.field, .classLabels)
        XCTAssertEqual(failure(.balanced, [10, 5], positive: 2)?.field, .positiveClass)
        XCTAssertEqual(failure(.effectiveNumber(beta: 1), [10, 5])?.field, .effectiveNumberBeta)
        XCTAssertEqual(failure(.effectiveNumber(beta: -0.1), [10, 5])?.field, .effectiveNumberBeta)
        XCTAssertEqual(failure(.effectiveNumber(beta: .nan), [10, 5])?.field, .effectiveNumberBeta)
        XCTAssertEqual(failure(.binary(w: 0), [10, 5])?.field, .binaryWeight)
        XCTAssertEqual(failure(.binary(w: 1), [10, 5])?.field, .binaryWeight)
        XCTAssertEqual(failure(.binary(w: 0.5), [10, 5, 3])?.field, .weightScheme)
        let unknown = failure(.custom(["0": 1, "1": 2, "2": 3]), [10, 5])
        XCTAssertEqual(unknown?.field, .customWeights)
        XCTAssert(unknown?.message.contains("'0', '1'") == true, unknown?.message ?? "")
        XCTAssertEqual(failure(.custom(["0": 1]), [10, 5])?.field, .customWeights)
        XCTAssertEqual(failure(.custom(["0": 1, "1": 0]), [10, 5])?.field, .customWeights)
        XCTAssertEqual(failure(.custom(["0": 1, "1": .infinity]), [10, 5])?.field, .customWeights)
        XCTAssertEqual(failure(.cost([[0, 1]]), [10, 5])?.field, .costMatrix)
        XCTAssertEqual(failure(.cost([[0, 1], [1]]), [10, 5])?.field, .costMatrix)
        XCTAssertEqual(failure(.cost([[0, -1], [1, 0]]), [10, 5])?.field, .costMatrix)
        XCTAssertEqual(failure(.cost([[-1, 1], [1, 0]]), [10, 5])?.field, .costMatrix)
        XCTAssertEqual(failure(.cost([[5, 0], [1, 0]]), [10, 5])?.field, .costMatrix)
        XCTAssertEqual(failure(.cost([[0, .nan], [1, 0]]), [10, 5])?.field, .costMatrix)
    }
}
