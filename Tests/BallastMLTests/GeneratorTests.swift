import XCTest
import Foundation
@testable import BallastML

final class GeneratorTests: XCTestCase {
    // MARK: SeededGenerator

    /// First outputs of xoshiro256** seeded by SplitMix64, from the independent Python
    /// implementation in Reference/class_weights_reference.py. Pins the algorithm across platforms.
    func testSeededGeneratorMatchesReferenceStream() {
        var zero = SeededGenerator(seed: 0)
        XCTAssertEqual((0..<4).map { _ in zero.next() },
                       [0x99ec_5f36_cb75_f2b4, 0xbf6e_1f78_4956_452a, 0x1a5f_849d_4933_e6e0, 0x6aa5_94f1_262d_2d2c])
        var fortyTwo = SeededGenerator(seed: 42)
        XCTAssertEqual((0..<4).map { _ in fortyTwo.next() },
                       [0x1578_0b2e_0c2e_c716, 0x6104_d986_6d11_3a7e, 0xae17_5332_39e4_99a1, 0xecb8_ad47_03b3_60a1])
    }

    func testBoundedIntegersAndUnitsStayInRangeAndCoverIt() {
        var random = SeededGenerator(seed: 7)
        var seen = Set<Int>()
        for _ in 0..<10_000 {
            let value = random.nextInt(below: 7)
            XCTAssert((0..<7).contains(value))
            seen.insert(value)
            let unit = random.nextUnit()
            XCTAssert(unit >= 0 && unit < 1)
        }
        XCTAssertEqual(seen.count, 7)
    }

    func testGaussiansHaveUnitMoments() {
        var random = SeededGenerator(seed: 3)
        var sum = 0.0, squares = 0.0
        let n = 200_000
        for _ in 0..<(n / 2) {
            let (a, b) = random.nextGaussianPair()
            sum += a + b
            squares += a * a + b * b
        }
        let mean = sum / Double(n)
        XCTAssertEqual(mean, 0, accuracy: 0.01)  // 4.5 standard errors
        XCTAssertEqual(squares / Double(n) - mean * mean, 1, accuracy: 0.015)
    }

    func testSubStreamsDiffer() {
        var a = SeededGenerator(seed: 5, stream: 0)
        var b = SeededGenerator(seed: 5, stream: 1)
        var c = SeededGenerator(seed: 6, stream: 0)
        let x = a.next(), y = b.next(), z = c.next()
        XCTAssertNotEqual(x, y)
        XCTAssertNotEqual(x, z)
    }

    // MARK: SyntheticData

    func small(seed: UInt64 = 1, proportions: [Double] = [0.8, 0.2], noise: Double = 0) -> SyntheticSpec {
        SyntheticSpec(rows: 20_003, features: 7, informative: 3, classProportions: proportions,
                      separation: 3, labelNoise: noise, seed: seed)
    }

    func testSameSeedGivesIdenticalDataAndDifferentSeedDoesNot() throws {
        let a = try SyntheticData.generate(small(seed: 11))
        let b = try SyntheticData.generate(small(seed: 11))
        let c = try SyntheticData.generate(small(seed: 12))
        XCTAssertEqual(a, b)
        XCTAssertEqual(a.features.map(\.bitPattern), b.features.map(\.bitPattern))
        XCTAssertNotEqual(a.features, c.features)
        XCTAssertNotEqual(a.classIndex, c.classIndex)
        // Different seeds still give the same exact class counts.
        XCTAssertEqual(a.classCounts, c.classCounts)
    }

    func testClassCountsAreExactByLargestRemainder() throws {
        // 20,003 × [0.8, 0.2] = 16,002.4 / 4,000.6 → 16,002 / 4,001.
        XCTAssertEqual(try SyntheticData.generate(small()).classCounts, [16_002, 4_001])
        // 20,003 × [0.5, 0.3, 0.2] = 10,001.5 / 6,000.9 / 4,000.6 → 10,001 / 6,001 / 4,001.
        let three = try SyntheticData.generate(small(proportions: [0.5, 0.3, 0.2]))
        XCTAssertEqual(three.classCounts, [10_001, 6_001, 4_001])
        XCTAssertEqual(three.classLabels, ["0", "1", "2"])
        XCTAssertNil(three.positiveClass)
        XCTAssertEqual(three.featureNames, ["x1", "x2", "x3", "x4", "x5", "x6", "x7"])
    }

    func testRowsAreShuffledNotGroupedByClass() throws {
        let data = try SyntheticData.generate(small())
        let firstRare = data.classIndex.firstIndex(of: 1)!
        XCTAssertLessThan(firstRare, 100)
        let lastMajority = data.classIndex.lastIndex(of: 0)!
        XCTAssertGreaterThan(lastMajority, data.rowCount - 100)
    }

    /// The informative columns separate the classes by `separation`; noise columns do not.
    func testInformativeColumnsCarryTheSeparation() throws {
        let spec = SyntheticSpec(rows: 40_000, features: 6, informative: 2, classProportions: [0.5, 0.5],
                                 separation: 3, seed: 9)
        let data = try SyntheticData.generate(spec)
        var sums = [[Double]](repeating: [Double](repeating: 0, count: 6), count: 2)
        for row in 0..<data.rowCount {
            for j in 0..<6 { sums[Int(data.classIndex[row])][j] += Double(data.features[row * 6 + j]) }
        }
        let counts = data.classCounts
        let difference = (0..<6).map { sums[1][$0] / Double(counts[1]) - sums[0][$0] / Double(counts[0]) }
        let distance = difference.map { $0 * $0 }.reduce(0, +).squareRoot()
        XCTAssertEqual(distance, 3, accuracy: 0.1)
        // Exactly two columns carry the difference; the others are noise (|Δ| ≲ 0.03).
        XCTAssertEqual(difference.filter { abs($0) > 0.1 }.count, 2, "\(difference)")
    }

    /// Label noise flips labels without changing counts: a fraction of rare rows sit in the
    /// majority cluster and as many majority rows sit in the rare cluster.
    func testLabelNoiseKeepsCountsAndFlipsTheStatedFraction() throws {
        let spec = SyntheticSpec(rows: 20_000, features: 1, informative: 1, classProportions: [0.9, 0.1],
                                 separation: 20, labelNoise: 0.1, seed: 4)
        let data = try SyntheticData.generate(spec)
        XCTAssertEqual(data.classCounts, [18_000, 2_000])
        // Separation 20: a row's cluster is obvious from which side of the midpoint it lies on.
        let center1 = zip(data.features, data.classIndex).filter { $1 == 1 }.map { Double($0.0) }.sorted()[1_000]
        let sign: Float = center1 > 0 ? 1 : -1
        var rareInMajorityCluster = 0, majorityInRareCluster = 0
        for (x, c) in zip(data.features, data.classIndex) {
            let inRareCluster = sign * x > 10
            if c == 1 && !inRareCluster { rareInMajorityCluster += 1 }
            if c == 0 && inRareCluster { majorityInRareCluster += 1 }
        }
        XCTAssertEqual(rareInMajorityCluster, 200)  // round(0.1 × 2,000)
        XCTAssertEqual(majorityInRareCluster, 200)
    }

    func testFraudPresetShape() throws {
        let spec = SyntheticSpec.fraud(seed: 0)
        XCTAssertEqual(SyntheticPreset.fraud.spec(seed: 0), spec)
        let data = try SyntheticData.generate(spec)
        XCTAssertEqual(data.rowCount, 284_807)
        XCTAssertEqual(data.featureCount, 30)
        XCTAssertEqual(data.features.count, 284_807 * 30)
        XCTAssertEqual(data.classCounts, [284_315, 492])
        XCTAssertEqual(data.classLabels, ["0", "1"])
        XCTAssertEqual(data.positiveClass, 1)
        XCTAssertEqual(data.featureNames.first, "Time")
        XCTAssertEqual(data.featureNames[1], "V1")
        XCTAssertEqual(data.featureNames[28], "V28")
        XCTAssertEqual(data.featureNames.last, "Amount")
        XCTAssert(data.features.allSatisfy(\.isFinite))
    }

    func testEveryPresetGenerates() throws {
        for preset in SyntheticPreset.allCases where preset != .fraud {
            let spec = preset.spec(seed: 1)
            let data = try SyntheticData.generate(spec)
            XCTAssertEqual(data.rowCount, spec.rows, "\(preset)")
            XCTAssertEqual(data.classCount, spec.classProportions.count, "\(preset)")
        }
    }

    func testInvalidSpecsNameTheField() {
        func field(_ change: (inout SyntheticSpec) -> Void) -> InputField? {
            var spec = small()
            change(&spec)
            do {
                _ = try SyntheticData.generate(spec)
                return nil
            } catch {
                XCTAssertFalse(error.message.isEmpty)
                return error.field
            }
        }
        XCTAssertEqual(field { $0.rows = 1 }, .rowCount)
        XCTAssertEqual(field { $0.features = 0 }, .featureCount)
        XCTAssertEqual(field { $0.rows = 1 << 40 }, .rowCount)
        XCTAssertEqual(field { $0.informative = 8 }, .informativeCount)
        XCTAssertEqual(field { $0.informative = -1 }, .informativeCount)
        XCTAssertEqual(field { $0.classProportions = [1] }, .classProportions)
        XCTAssertEqual(field { $0.classProportions = [0.9, 0.11] }, .classProportions)
        XCTAssertEqual(field { $0.classProportions = [1.1, -0.1] }, .classProportions)
        XCTAssertEqual(field { $0.classProportions = [.nan, 0.5] }, .classProportions)
        XCTAssertEqual(field { $0.classProportions = [1 - 1e-6, 1e-6] }, .classProportions)  // 0.02 rows
        XCTAssertEqual(field { $0.separation = -1 }, .separation)
        XCTAssertEqual(field { $0.separation = .infinity }, .separation)
        XCTAssertEqual(field { $0.labelNoise = 0.5 }, .labelNoise)
        XCTAssertEqual(field { $0.labelNoise = -0.1 }, .labelNoise)
        XCTAssertEqual(field { $0.featureNames = ["a"] }, .featureNames)
        XCTAssertEqual(field { $0.featureNames = ["a", "b", "c", "d", "e", "f", "a"] }, .featureNames)
        // Ten equal classes at 40 % noise would need 3.6 majority rows per majority row.
        XCTAssertEqual(field { $0.classProportions = Array(repeating: 0.1, count: 10); $0.labelNoise = 0.4 }, .labelNoise)
        XCTAssertNil(field { $0.informative = 0 })
        XCTAssertNil(field { $0.classProportions = [0.5, 0.5 + 5e-10] })
    }

    func testLargestRemainder() {
        XCTAssertEqual(largestRemainder(total: 10, shares: [1, 1, 1]), [4, 3, 3])
        XCTAssertEqual(largestRemainder(total: 284_807, shares: [284_315.0 / 284_807, 492.0 / 284_807]), [284_315, 492])
        XCTAssertEqual(largestRemainder(total: 7, shares: [0.5, 0.25, 0.25]), [3, 2, 2])  // 3.5 / 1.75 / 1.75
        XCTAssertEqual(largestRemainder(total: 5, shares: [0.5, 0.5]), [3, 2])  // tie → earlier part
        XCTAssertEqual(largestRemainder(total: 0, shares: [0.5, 0.5]), [0, 0])
    }
}
