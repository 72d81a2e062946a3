import BallastProtocol
import Testing
@testable import BallastCLI

@Suite struct RenderTests {
    /// An `experiment/compare` result with three arms.
    let compareResult: JSONValue = [
        "run": "r7",
        "rows": [
            ["arm": "ce", "recall": 0.5, "precision": 0.9, "f1": 0.642857, "pr_auc": 0.71, "roc_auc": 0.95, "mcc": 0.66, "threshold": 0.5],
            ["arm": "wce_inverse", "recall": 0.92, "precision": 0.08, "f1": 0.147, "pr_auc": 0.69, "roc_auc": 0.97, "mcc": 0.26, "threshold": 0.5],
            ["arm": "ce_best_f1", "recall": 0.75, "precision": 0.8, "f1": 0.774194, "pr_auc": 0.71, "roc_auc": 0.95, "mcc": 0.77, "threshold": 0.135],
        ],
        "skipped": ["smote": "needs more rare rows"],
    ]

    @Test func aComparisonIsTheSeedsTable() {
        let text = Render.result("compare", compareResult, params: [:], terminal: .plain())
        #expect(text == """
          Loss Function            Recall  Precision  F1-Score  PR-AUC  ROC-AUC     MCC  Threshold
          ───────────────────────  ──────  ─────────  ────────  ──────  ───────  ──────  ─────────
          CE                       0.5000     0.9000    0.6429  0.7100   0.9500  0.6600      0.500
          WCE (inverse)            0.9200     0.0800    0.1470  0.6900   0.9700  0.2600      0.500
          CE, best-F1 threshold *  0.7500     0.8000    0.7742  0.7100   0.9500  0.7700      0.135
          * best F1. Metrics are the positive class's, on the test set (run r7).
          skipped smote: needs more rare rows
        """)
    }

    /// What an earlier daemon kept that did not come back is listed under the ones that did, with
    /// why and how to get it back.
    @Test func listingsSayWhatDidNotComeBack() {
        let gone: JSONValue = [["name": "cards", "reason": "missing", "message": "To make it again, call dataset/generate with {\"preset\": \"fraud\"}."]]
        let datasets = Render.result("datasets", ["datasets": [], "bytes_used": 0, "memory_budget": 1_000_000, "unavailable": gone],
                                     params: [:], terminal: .plain())
        #expect(datasets.hasSuffix("\n  not available: cards (missing): To make it again, call dataset/generate with {\"preset\": \"fraud\"}."),
                "\(datasets)")
        let models = Render.result("models", ["models": [], "unavailable": [["name": "wce", "reason": "over_budget", "message": "It does not fit."]]],
                                   params: [:], terminal: .plain())
        #expect(models.hasSuffix("\n  not available: wce (over_budget): It does not fit."), "\(models)")
        #expect(!Render.result("models", ["models": []], params: [:], terminal: .plain()).contains("not available"))
    }

    /// A disk dataset's listing and summary say what it keeps on disk beside what it holds in memory.
    @Test func aDiskDatasetSaysWhatItKeepsOnDisk() {
        let disk: JSONValue = ["name": "big", "rows": 1000, "features": 2, "classes": [["label": "0", "count": 990], ["label": "1", "count": 10]],
                               "imbalance_ratio": 99, "bytes": 4000, "storage": "disk", "disk_bytes": 12000]
        let listed = Render.result("datasets", ["datasets": [disk], "bytes_used": 4000, "memory_budget": 1_000_000], params: [:], terminal: .plain())
        #expect(listed.contains("4.0 kB (+12.0 kB on disk)"), "\(listed)")
        let loaded = Render.result("load", ["dataset": disk, "dropped_rows": 0, "encoded_columns": [], "skipped_lines": ["count": 0, "first": []],
                                            "warnings": [], "seconds": 0.01, "mb_per_s": 1], params: [:], terminal: .plain())
        #expect(loaded.contains("; 4.0 kB (+12.0 kB on disk)"), "\(loaded)")
        var view = disk
        if case .object(var fields) = view { fields["name"] = "big.train"; fields["view"] = true; view = .object(fields) }
        let views = Render.result("datasets", ["datasets": [view], "bytes_used": 4000, "memory_budget": 1_000_000], params: [:], terminal: .plain())
        #expect(views.contains("4.0 kB (view of 12.0 kB on disk)"), "a view owns no file: \(views)")
        let memory: JSONValue = ["name": "small", "rows": 10, "features": 2, "classes": [["label": "0", "count": 9], ["label": "1", "count": 1]],
                                 "imbalance_ratio": 9, "bytes": 120, "storage": "memory"]
        #expect(!Render.result("datasets", ["datasets": [memory]], params: [:], terminal: .plain()).contains("on disk"))
    }

    /// A sweep whose folds were repeated (a small class) says so under its table.
    @Test func aSweepSaysWhyItHasMoreScoresThanFolds() {
        let note = "Class '1' has only 24 rows: the 3 folds were repeated 3 times for a steadier estimate."
        let sweep: JSONValue = ["param": "w", "metric": "f1", "run": "r3", "best": ["value": 0.7, "mean": 0.8, "sd": 0.01],
                                "results": [["value": 0.7, "mean": 0.8, "sd": 0.01, "folds": [0.8, 0.79, 0.81, 0.8, 0.8, 0.8, 0.79, 0.81, 0.8]]],
                                "folds": ["requested": 3, "used": 3, "repeats": 3, "note": .string(note)]]
        let text = Render.result("sweep", sweep, params: [:], terminal: .plain())
        #expect(text.contains("over 9 folds"), "\(text)")
        #expect(text.contains(note), "\(text)")
    }

    @Test func aLoadSaysWhichBadLinesItSkipped() {
        let summary: JSONValue = ["name": "d", "rows": 3, "features": 2, "feature_names": ["a", "b"],
                                  "classes": [["label": "0", "count": 2], ["label": "1", "count": 1]],
                                  "imbalance_ratio": 2, "bytes": 36]
        let one = Render.result("load", ["dataset": summary, "dropped_rows": 0, "encoded_columns": [],
                                         "skipped_lines": ["count": 1, "first": [7]], "warnings": [],
                                         "seconds": 0.01, "mb_per_s": 1], params: [:], terminal: .plain())
        #expect(one.hasSuffix("; 1 bad line skipped (line 7)"), "\(one)")
        let many = Render.result("load", ["dataset": summary, "dropped_rows": 0, "encoded_columns": [],
                                          "skipped_lines": ["count": 12, "first": [2, 3]], "warnings": [],
                                          "seconds": 0.01, "mb_per_s": 1], params: [:], terminal: .plain())
        #expect(many.hasSuffix("; 12 bad lines skipped (lines 2, 3, …)"), "\(many)")
    }

    @Test func everyArmTheProtocolNamesHasALabel() {
        for arm in ArmName.names {
            #expect(Render.armLabel(arm) != arm, "the arm \(arm) is shown by its wire name")
        }
        #expect(Render.armLabel("an_arm_from_a_newer_daemon") == "an_arm_from_a_newer_daemon")
    }

    @Test func aTableAlignsNumbersRightAndWordsLeft() {
        var table = Table(["dataset", "rows", "classes"], leftColumns: [0, 2])
        table.add(["cards.train", "9,999", "0: 9,982, 1: 17"])
        table.add(["x", "12", "0: 6, 1: 6"])
        #expect(table.render(.plain()) == """
          dataset       rows  classes
          ───────────  ─────  ───────────────
          cards.train  9,999  0: 9,982, 1: 17
          x               12  0: 6, 1: 6
        """)
    }

    @Test func boldHeadersOnlyOnAColourTerminal() {
        let table = Table(["a"])
        #expect(table.render(Terminal(isTTY: true, fancy: true, width: 80)).hasPrefix("\u{1B}[1m  a\u{1B}[0m"))
        #expect(!table.render(Terminal(isTTY: true, fancy: false, width: 80)).contains("\u{1B}"))
    }

    @Test func numbersCountsAndDurationsAreWrittenOneWay() {
        #expect(Fmt.num(0.12345) == "0.1235")
        #expect(Fmt.num(nil) == "–")
        #expect(Fmt.num(.nan) == "nan")
        #expect(Fmt.count(284_807) == "284,807")
        #expect(Fmt.count(-1_000) == "-1,000")
        #expect(Fmt.duration(75) == "1:15")
        #expect(Fmt.duration(3.4) == "3.4s")
        #expect(Fmt.bytes(2_500_000) == "2.5 MB")
    }

    @Test func aSparklineScalesBetweenItsExtremes() {
        #expect(Charts.sparkline([1, 2, 3, 4, 5, 6, 7, 8], width: 8) == "▁▂▃▄▅▆▇█")
        #expect(Charts.sparkline([3, 3, 3], width: 8) == "▄▄▄")
        #expect(Charts.sparkline([], width: 8) == "")
    }
}
