import XCTest
@testable import BallastML

/// `Metrics.report(confusion:…)`, the report of predictions scored elsewhere (Spark's sweep folds),
/// must give every confusion-determined figure and the log loss exactly as the report from the
/// scores does; the ranking metrics, which need the scores, are NaN.
final class ConfusionReportTests: XCTestCase {
    private func assertSameFigures(_ full: MetricReport, _ counted: MetricReport, file: StaticString = #filePath, line: UInt = #line) {
        for metric in SelectableMetric.allCases where metric != .prAUC && metric != .rocAUC {
            XCTAssertEqual(counted.score(metric), full.score(metric), accuracy: 1e-12 * max(1, abs(full.score(metric))),
                           "\(metric)", file: file, line: line)
        }
        XCTAssertEqual(counted.confusion, full.confusion, file: file, line: line)
        XCTAssertEqual(counted.perClass, full.perClass, file: file, line: line)
        XCTAssertTrue(counted.prAUC.isNaN && counted.rocAUC.isNaN, file: file, line: line)
    }

    func testBinaryFiguresEqualTheScoredReport() {
        let data = MetricTestData.binary()
        let full = Metrics.report(classIndex: data.classIndex, probabilities: data.probabilities, classCount: 2,
                                  classLabels: ["legit", "fraud"], positiveClass: 1, threshold: .standard)
        let counted = Metrics.report(confusion: full.confusion, classLabels: ["legit", "fraud"], positiveClass: 1,
                                     threshold: 0.5, logLossSum: full.logLoss * Double(data.classIndex.count))
        XCTAssertEqual(counted.threshold, 0.5)
        assertSameFigures(full, counted)
    }

    func testMulticlassFiguresEqualTheScoredReport() {
        let data = MetricTestData.multiclass()
        let labels = ["a", "b", "c"]
        let full = Metrics.report(classIndex: data.classIndex, probabilities: data.probabilities, classCount: 3,
                                  classLabels: labels, positiveClass: nil, threshold: .standard)
        let counted = Metrics.report(confusion: full.confusion, classLabels: labels, positiveClass: nil,
                                     threshold: nil, logLossSum: full.logLoss * Double(data.classIndex.count))
        XCTAssertNil(counted.threshold)
        assertSameFigures(full, counted)
    }
}
