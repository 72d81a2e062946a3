import XCTest
@testable import BallastProtocol

/// The wire shapes of results and unions: keys as protocol/README.md spells them.
final class ResultCodingTests: XCTestCase {
    private func keys(_ value: some Encodable) throws -> Set<String> {
        Set(try XCTUnwrap(JSONValue(encoding: value).objectValue).keys)
    }

    func testMetricsReportUsesTheDocumentedKeys() throws {
        let row = ClassMetrics(label: "1", precision: 0.5, recall: 0.25, f1: 1.0 / 3, support: 4)
        let report = MetricsReport(threshold: 0.5, logLoss: 0.1, accuracy: 0.9, balancedAccuracy: 0.6, perClass: [row, row],
                                   positive: row, macroF1: 0.4, prAUC: 0.3, rocAUC: 0.8, mcc: 0.2, gMean: 0.5,
                                   confusion: [[1, 2], [3, 4]], brier: 0.05)
        XCTAssertEqual(try keys(report), ["threshold", "log_loss", "accuracy", "balanced_accuracy", "per_class", "positive",
                                          "macro_f1", "pr_auc", "roc_auc", "mcc", "g_mean", "confusion", "brier"])
        var withCurves = report
        withCurves.curves = Curves(pr: [], roc: [])
        XCTAssertTrue(try keys(withCurves).contains("curves"))
        XCTAssertEqual(try JSONValue(encoding: report).decode(as: MetricsReport.self), report)
        XCTAssertEqual(try keys(Calibration(brierBefore: 1, brierAfter: 2, logLossBefore: 3, logLossAfter: 4)),
                       ["brier_before", "brier_after", "log_loss_before", "log_loss_after"])
    }

    func testCurvePointWritesInfinityAsNull() throws {
        let points = [CurvePoint(x: 0, y: 0, threshold: .infinity), CurvePoint(x: 0.5, y: 0.25, threshold: 0.75)]
        let json = try JSONValue(encoding: points)
        XCTAssertEqual(JSONWriter.string(json), #"[{"threshold":null,"x":0.0,"y":0.0},{"threshold":0.75,"x":0.5,"y":0.25}]"#)
        XCTAssertEqual(try json.decode(as: [CurvePoint].self), points)
    }

    func testThresholdIsOneOfThreeShapes() throws {
        let values: [Threshold] = [.standard, .value(0.25), .bestF1]
        let json = try JSONValue(encoding: values)
        XCTAssertEqual(JSONWriter.string(json), #"["standard",0.25,"best_f1"]"#)
        XCTAssertEqual(try json.decode(as: [Threshold].self), values)
        for bad: JSONValue in ["median", "bestF1", 1.5, 0, true] {
            XCTAssertThrowsError(try JSONValue.array([bad]).decode(as: [Threshold].self), "\(bad)") { error in
                XCTAssertEqual((error as? RPCError)?.code, ErrorCode.invalidParams)
                XCTAssertEqual((error as? RPCError)?.data?["field"], "[0]")
            }
        }
    }

    func testRunEventLeavesOutWhatDoesNotApply() throws {
        var event = RunEvent(kind: .end, elapsedSeconds: 1.5, stopReason: .converged, steps: 12, objective: 0.25)
        event.run = "r1"
        event.seq = 3
        XCTAssertEqual(try keys(event), ["run", "seq", "kind", "elapsed_s", "stop_reason", "steps", "objective"])
        XCTAssertEqual(try JSONValue(encoding: event)["stop_reason"], "converged")
        XCTAssertEqual(try JSONValue(encoding: event).decode(as: RunEvent.self), event)
    }

    func testAnUnknownNameListsTheKnownOnesAtItsPath() {
        let train: JSONValue = ["loss": ["type": "hinge"], "dataset": "d"]
        XCTAssertThrowsError(try train.decode(as: ModelTrain.Params.self)) { error in
            let rpc = error as? RPCError
            XCTAssertEqual(rpc?.message, "There is no loss named 'hinge' (losses: ce, wce, focal).")
            XCTAssertEqual(rpc?.data?["field"], "loss.type")
            XCTAssertEqual(rpc?.data?["known"], ["ce", "wce", "focal"])
        }
        let sweep: JSONValue = ["dataset": "d", "param": "w", "grid": [0.5], "metric": "pr_aux"]
        XCTAssertThrowsError(try sweep.decode(as: ExperimentSweep.Params.self)) { error in
            XCTAssertEqual((error as? RPCError)?.message,
                           "There is no metric named 'pr_aux' (metrics: \(MetricName.names.joined(separator: ", "))). Did you mean 'pr_auc'?")
        }
    }

    func testCapabilitiesCarryEveryVocabulary() throws {
        let capabilities = try JSONValue(encoding: Initialize.Capabilities(methods: [], controlMethods: [], notifications: []))
        XCTAssertEqual(capabilities["metrics"], .array(MetricName.names.map { .string($0) }))
        XCTAssertEqual(capabilities["losses"], ["ce", "wce", "focal"])
        XCTAssertEqual(capabilities["arms"]?.arrayValue?.count, ArmName.allCases.count)
        XCTAssertTrue(capabilities["metrics"]?.arrayValue?.contains("g_mean") ?? false)
    }
}

extension ResultCodingTests {
    func testAnOlderDaemonsCapabilitiesStillDecode() throws {
        // What a 1.2 daemon sent: no metrics, arms, delimiters, ….
        let older: JSONValue = ["methods": ["ping"], "control_methods": ["status"], "notifications": ["exit"],
                                "models": ["logistic"], "losses": ["ce", "wce"], "weight_schemes": ["inverse"],
                                "optimizers": ["lbfgs"], "presets": ["fraud"]]
        let capabilities = try older.decode(as: Initialize.Capabilities.self)
        XCTAssertEqual(capabilities.losses, ["ce", "wce"], "what the daemon advertises wins")
        XCTAssertEqual(capabilities.metrics, MetricName.names, "what it leaves out is the client's own")
        XCTAssertThrowsError(try (["models": []] as JSONValue).decode(as: Initialize.Capabilities.self), "methods stay required")
    }
}
