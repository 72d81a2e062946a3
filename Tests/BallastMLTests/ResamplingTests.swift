import XCTest
import Foundation
@testable import BallastML

final class ResamplingTests: XCTestCase {
    /// 1,000 rows, 30 of them rare, 5 features.
    func binary(seed: UInt64 = 8) throws -> Dataset {
        try SyntheticData.generate(SyntheticSpec(rows: 1_000, features: 5, informative: 3,
                                                 classProportions: [0.97, 0.03], separation: 2, seed: seed))
    }

    func rows(of data: Dataset) -> [[Float]] {
        (0..<data.rowCount).map { Array(data.features[($0 * data.featureCount)..<(($0 + 1) * data.featureCount)]) }
    }

    func testRandomOverSamplingCountsAndDuplicates() throws {
        let data = try binary()
        XCTAssertEqual(data.classCounts, [970, 30])
        let over = try Resampling.randomOver(data, ratio: 0.5, seed: 1)
        XCTAssertEqual(over.classCounts, [970, 485])  // ⌊0.5 × 970⌋
        // Originals first and unchanged; every new row copies a rare original.
        XCTAssertEqual(Array(over.features.prefix(data.features.count)), data.features.array)
        let rare = Set(rows(of: data).enumerated().filter { data.classIndex[$0.offset] == 1 }.map(\.element))
        for row in rows(of: over).dropFirst(1_000) { XCTAssert(rare.contains(row)) }
        XCTAssertEqual(over, try Resampling.randomOver(data, ratio: 0.5, seed: 1))
        XCTAssertNotEqual(over, try Resampling.randomOver(data, ratio: 0.5, seed: 2))
        XCTAssertEqual(try Resampling.randomOver(data, ratio: 1, seed: 1).classCounts, [970, 970])
    }

    func testRandomUnderSamplingCountsAndSubset() throws {
        let data = try binary()
        let under = try Resampling.randomUnder(data, ratio: 0.25, seed: 1)
        XCTAssertEqual(under.classCounts, [120, 30])  // ⌊30 / 0.25⌋
        let original = rows(of: data)
        var seen = Set<[Float]>()
        for row in rows(of: under) {
            XCTAssert(original.contains(row))
            XCTAssert(seen.insert(row).inserted, "rows are drawn without replacement")
        }
        XCTAssertEqual(under, try Resampling.randomUnder(data, ratio: 0.25, seed: 1))
        XCTAssertNotEqual(under, try Resampling.randomUnder(data, ratio: 0.25, seed: 2))
    }

    func testMulticlassTargets() throws {
        let data = try SyntheticData.generate(SyntheticSpec(rows: 1_000, features: 3, informative: 2,
                                                            classProportions: [0.6, 0.3, 0.1], separation: 2, seed: 1))
        XCTAssertEqual(data.classCounts, [600, 300, 100])
        // Over-sampling to 0.4 × 600 = 240: class 2 grows, class 1 (already above) is kept.
        XCTAssertEqual(try Resampling.randomOver(data, ratio: 0.4, seed: 0).classCounts, [600, 300, 240])
        XCTAssertEqual(try Resampling.smote(data, ratio: 0.4, k: 5, seed: 0).classCounts, [600, 300, 240])
        // Under-sampling at 0.5: majority to 100 / 0.5 = 200, the others to the smallest class's 100.
        XCTAssertEqual(try Resampling.randomUnder(data, ratio: 0.5, seed: 0).classCounts, [200, 100, 100])
    }

    /// The rows a resampling is weighed for before it is made are the rows it makes.
    func testResultRowsAreTheRowsTheResamplingMakes() throws {
        let multiclass = try SyntheticData.generate(SyntheticSpec(rows: 1_000, features: 3, informative: 2,
                                                                  classProportions: [0.6, 0.3, 0.1], separation: 2, seed: 1))
        for data in [try binary(), multiclass] {
            for ratio in [0.05, 0.25, 0.5, 1] {
                let counts = data.classCounts
                if let over = try? Resampling.randomOver(data, ratio: ratio, seed: 3) {
                    XCTAssertEqual(Resampling.resultRows(classCounts: counts, ratio: ratio, over: true), over.rowCount, "over \(ratio)")
                    XCTAssertEqual(try Resampling.smote(data, ratio: ratio, k: 5, seed: 3).rowCount, over.rowCount, "smote \(ratio)")
                }
                if let under = try? Resampling.randomUnder(data, ratio: ratio, seed: 3) {
                    XCTAssertEqual(Resampling.resultRows(classCounts: counts, ratio: ratio, over: false), under.rowCount, "under \(ratio)")
                }
            }
        }
        XCTAssertEqual(Resampling.resultRows(classCounts: [970, 30], ratio: 0.05, over: true), 1_000 + 48 - 30)
    }

    func testRatioErrors() throws {
        let data = try binary()
        for ratio in [0, -1, 1.5, .nan] {
            XCTAssertThrowsError(try Resampling.randomOver(data, ratio: ratio, seed: 0)) {
                XCTAssertEqual(($0 as? InvalidArgument)?.field, .resampleRatio)
            }
        }
        // Already 30/970 ≈ 0.031: over-sampling to 0.01 would need to remove rows.
        XCTAssertThrowsError(try Resampling.randomOver(data, ratio: 0.01, seed: 0)) {
            XCTAssertEqual(($0 as? InvalidArgument)?.field, .resampleRatio)
        }
        XCTAssertThrowsError(try Resampling.randomUnder(data, ratio: 0.01, seed: 0)) {
            XCTAssertEqual(($0 as? InvalidArgument)?.field, .resampleRatio)
        }
        XCTAssertThrowsError(try Resampling.smote(data, ratio: 0.5, k: 30, seed: 0)) {
            XCTAssertEqual(($0 as? InvalidArgument)?.field, .neighbours)
        }
        XCTAssertThrowsError(try Resampling.smote(data, ratio: 0.5, k: 0, seed: 0)) {
            XCTAssertEqual(($0 as? InvalidArgument)?.field, .neighbours)
        }
        let oneClass = Dataset(featureNames: ["a"], features: [1, 2], classIndex: [0, 0], classLabels: ["0", "1"], positiveClass: 1)
        XCTAssertThrowsError(try Resampling.randomOver(oneClass, ratio: 0.5, seed: 0)) {
            XCTAssertEqual(($0 as? InvalidArgument)?.field, .classLabels)
        }
    }

    /// Every SMOTE row lies on the segment between a rare row and one of its k nearest rare rows.
    func testSmoteRowsAreConvexCombinationsOfNeighbouringMinorityRows() throws {
        let data = try binary()
        let k = 3
        let smote = try Resampling.smote(data, ratio: 0.3, k: k, seed: 4)
        XCTAssertEqual(smote.classCounts, [970, 291])
        XCTAssertEqual(Array(smote.features.prefix(data.features.count)), data.features.array)
        XCTAssertEqual(smote, try Resampling.smote(data, ratio: 0.3, k: k, seed: 4))
        XCTAssertNotEqual(smote, try Resampling.smote(data, ratio: 0.3, k: k, seed: 5))

        let width = data.featureCount
        let rare = rows(of: data).enumerated().filter { data.classIndex[$0.offset] == 1 }.map { $0.element.map(Double.init) }
        func distance(_ a: [Double], _ b: [Double]) -> Double { zip(a, b).map { ($0 - $1) * ($0 - $1) }.reduce(0, +) }
        // Brute-force k nearest neighbours, independently of the implementation.
        let neighbours = rare.indices.map { i in
            rare.indices.filter { $0 != i }.sorted { distance(rare[i], rare[$0]) < distance(rare[i], rare[$1]) }.prefix(k)
        }
        var gaps = [Double]()
        for s in 1_000..<smote.rowCount {
            XCTAssertEqual(smote.classIndex[s], 1)
            let x = (0..<width).map { Double(smote.features[s * width + $0]) }
            var best = (residual: Double.infinity, t: 0.0)
            for i in rare.indices {
                for j in neighbours[i] {
                    let a = rare[i], b = rare[j]
                    let direction = zip(b, a).map { $0 - $1 }
                    let length = direction.map { $0 * $0 }.reduce(0, +)
                    let t = zip(zip(x, a).map { $0 - $1 }, direction).map { $0 * $1 }.reduce(0, +) / length
                    let residual = (0..<width).map { x[$0] - (a[$0] + t * direction[$0]) }.map { $0 * $0 }.reduce(0, +).squareRoot()
                    if residual < best.residual { best = (residual, t) }
                }
            }
            XCTAssertLessThan(best.residual, 1e-5, "row \(s) is not on a neighbour segment")
            XCTAssert(best.t >= -1e-6 && best.t <= 1 + 1e-6, "gap \(best.t) outside [0, 1]")
            gaps.append(best.t)
        }
        // Gaps are spread over [0, 1], not stuck at the end points.
        XCTAssertEqual(gaps.reduce(0, +) / Double(gaps.count), 0.5, accuracy: 0.1)
    }

    func testNearestNeighboursOnALine() {
        let data = Dataset(featureNames: ["x"], features: [0, 10, 1, 3, 7], classIndex: [1, 1, 1, 1, 1],
                           classLabels: ["0", "1"], positiveClass: 1)
        let nn = Resampling.nearestNeighbours(data, rows: [0, 1, 2, 3, 4], k: 2)
        XCTAssertEqual(Array(nn[0..<2]), [2, 3])   // 0 → 1, 3
        XCTAssertEqual(Array(nn[2..<4]), [4, 3])   // 10 → 7, 3
        XCTAssertEqual(Array(nn[6..<8]), [2, 0])   // 3 → 1 (2 away), then 0 (3 away)
    }

    func testSmoteIsFastForFraudSizedMinority() throws {
        // ~350 rare rows × 30 features, like the fraud training split.
        let spec = SyntheticSpec(rows: 20_000, features: 30, informative: 10, classProportions: [0.9825, 0.0175],
                                 separation: 3, seed: 2)
        let data = try SyntheticData.generate(spec)
        let start = Date()
        let smote = try Resampling.smote(data, ratio: 0.5, k: 5, seed: 0)
        XCTAssertLessThan(Date().timeIntervalSince(start), 2)
        XCTAssertEqual(smote.classCounts[1], smote.classCounts[0] / 2)
    }
}
