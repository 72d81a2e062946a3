import BallastClient
import BallastProtocol
import Foundation
import XCTest

/// The seed's experiment and the weight sweep through a real daemon.
final class ExperimentTests: XCTestCase {
    func testCompareRunsEveryArmOnTheSameSplit() throws {
        let daemon = try TestDaemon()
        let client = try daemon.client()
        try client.prepareCards(rows: 60_000)
        var reports = 0
        var stepReports: [JSONValue] = []
        let result = try client.call("experiment/compare", params: [
            "train": "cards.train", "test": "cards.test", "validation": "cards.validation", "progress_token": "c",
        ]) { method, params in
            guard method == WorkProgress.method else { return }
            reports += 1
            if let value = params["value"], value["step"] != nil { stepReports.append(value) }
        }
        // A step report says which arm of how many is training, so a progress bar moves arm by arm.
        XCTAssertFalse(stepReports.isEmpty)
        for report in stepReports {
            let index = try XCTUnwrap(report["index"]?.intValue), total = try XCTUnwrap(report["total"]?.intValue)
            XCTAssertEqual(total, 8)
            XCTAssertTrue((1...8).contains(index), "\(report)")
            XCTAssertEqual(try XCTUnwrap(report["percentage"]?.doubleValue), 100 * Double(index - 1) / 8, accuracy: 1e-9)
            XCTAssertNotNil(report["arm"]?.stringValue)
        }
        let arms = result["rows"]?.arrayValue?.compactMap { $0["arm"]?.stringValue }
        XCTAssertEqual(arms, ["ce", "wce_inverse", "wce_balanced", "focal", "over", "under", "smote", "ce_best_f1"])
        XCTAssertGreaterThanOrEqual(reports, 3, "begin, a report per arm at least, end")
        let rows = Dictionary(uniqueKeysWithValues: (result["rows"]?.arrayValue ?? []).map { ($0["arm"]!.stringValue!, $0) })
        let ce = try XCTUnwrap(rows["ce"]), wce = try XCTUnwrap(rows["wce_inverse"]), moved = try XCTUnwrap(rows["ce_best_f1"])
        XCTAssertGreaterThan(try XCTUnwrap(wce["recall"]?.doubleValue), try XCTUnwrap(ce["recall"]?.doubleValue))
        XCTAssertEqual(moved["pr_auc"], ce["pr_auc"], "moving the threshold does not change the ranking")
        XCTAssertNotEqual(moved["threshold"], 0.5)
        for row in rows.values {
            for metric in ["recall", "precision", "f1", "pr_auc", "roc_auc"] {
                let value = try XCTUnwrap(row[metric]?.doubleValue)
                XCTAssertTrue((0...1).contains(value), "\(metric) \(value)")
            }
        }
        let partial = try client.call("experiment/compare", params: ["train": "cards.train", "test": "cards.test", "arms": ["ce", "ce_best_f1"]])
        XCTAssertEqual(partial["skipped"]?["ce_best_f1"]?.stringValue?.contains("validation"), true)
        XCTAssertEqual(client.rpcError("experiment/compare", ["train": "cards.train", "test": "cards.test", "arms": ["magic"]])?.data?["known"]?.arrayValue?.count, 8)
    }

    func testSweepCrossValidatesEachGridPointAndPicksTheBest() throws {
        let daemon = try TestDaemon()
        let client = try daemon.client()
        try client.prepareCards(rows: 60_000)
        let result = try client.call("experiment/sweep", params: ["dataset": "cards.train", "param": "w", "grid": [0.5, 0.9, 0.99],
                                                                  "folds": 3, "metric": "f1"])
        let points = try XCTUnwrap(result["results"]?.arrayValue)
        XCTAssertEqual(points.count, 3)
        for point in points {
            let folds = try XCTUnwrap(point["folds"]?.arrayValue?.compactMap(\.doubleValue))
            XCTAssertEqual(folds.count, 3)
            XCTAssertEqual(try XCTUnwrap(point["mean"]?.doubleValue), folds.reduce(0, +) / 3, accuracy: 1e-12)
        }
        let best = try XCTUnwrap(result["best"]?["mean"]?.doubleValue)
        XCTAssertEqual(best, points.compactMap { $0["mean"]?.doubleValue }.max())
        XCTAssertEqual(client.rpcError("experiment/sweep", ["dataset": "cards.train", "param": "lr", "grid": [0.1]])?.data?["known"],
                       ["w", "beta", "gamma"])
        XCTAssertEqual(client.rpcError("experiment/sweep", ["dataset": "cards.train", "param": "w", "grid": [1.5]])?.code,
                       ErrorCode.invalidParams)
    }
}
