import XCTest
@testable import BallastML

final class CSVStatisticsTests: XCTestCase {
    func testFeatureStatisticsAgainstHandComputedValues() throws {
        let t = try loadCSV("a,b,y\n1,10,0\n2,,1\n3,30,0\n6,40,1\n") { $0.missing = .imputeMean }
        // a: 1,2,3,6 -> mean 3, deviations -2,-1,0,3 -> var 14/4 = 3.5
        // b: 10, mean-imputed 80/3, 30, 40 -> mean 80/3
        let stats = t.dataset.featureStatistics(missing: t.missingPerFeature)
        XCTAssertEqual(stats.count, 2)
        XCTAssertEqual(stats[0].name, "a")
        XCTAssertEqual(stats[0].mean, 3, accuracy: 1e-12)
        XCTAssertEqual(stats[0].std, 3.5.squareRoot(), accuracy: 1e-12)
        XCTAssertEqual(stats[0].min, 1)
        XCTAssertEqual(stats[0].max, 6)
        XCTAssertEqual(stats[0].missing, 0)
        let imputed = Double(Float(80.0 / 3.0))
        let values = [10, imputed, 30, 40]
        let mean = values.reduce(0, +) / 4
        let std = (values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 4).squareRoot()
        XCTAssertEqual(stats[1].mean, mean, accuracy: 1e-9)
        XCTAssertEqual(stats[1].std, std, accuracy: 1e-9)
        XCTAssertEqual(stats[1].min, 10)
        XCTAssertEqual(stats[1].max, 40)
        XCTAssertEqual(stats[1].missing, 1)
    }

    func testPopulationStandardDeviationAndDefaults() {
        let data = Dataset(featureNames: ["c", "k"], features: [2, 5, 4, 5, 4, 5, 4, 5, 5, 5, 5, 5, 7, 5, 9, 5],
                           classIndex: [0, 1, 0, 1, 0, 1, 0, 1], classLabels: ["0", "1"], positiveClass: 1)
        let stats = data.featureStatistics()
        XCTAssertEqual(stats[0], FeatureStatistics(name: "c", mean: 5, std: 2, min: 2, max: 9, missing: 0))
        XCTAssertEqual(stats[1], FeatureStatistics(name: "k", mean: 5, std: 0, min: 5, max: 5, missing: 0))
    }
}
