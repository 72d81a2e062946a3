import BallastProtocol
import Foundation
import Testing
@testable import BallastCLI

/// `tune`'s rendering from a result as the daemon sends it: the leaderboard, what was chosen and
/// why, the honest estimate, the calibration and its reliability chart; and its progress line.
@Suite struct TuneRenderTests {
    static let metrics: JSONValue = [
        "positive": ["label": "1", "recall": 0.8, "precision": 0.6667, "f1": 0.7273], "pr_auc": 0.74, "roc_auc": 0.97, "mcc": 0.72,
        "threshold": 0.43, "accuracy": 0.998, "balanced_accuracy": 0.9, "g_mean": 0.89, "log_loss": 0.012,
        "confusion": [[1890, 4], [2, 8]], "per_class": [["label": "0"], ["label": "1"]],
    ]

    static let holdoutResult: JSONValue = [
        "run": "r4", "model": "best", "seconds": 12.5,
        "objective": ["type": "f1", "name": "F1", "higher_is_better": true],
        "leaderboard": [
            ["rank": 1, "candidate": "wce_w0.9", "description": "weighted CE, w = 0.9 for the rare class", "mean": 0.812, "sd": 0.031,
             "scores": [0.8, 0.82], "threshold": 0.43, "seconds": 1.25],
            ["rank": 2, "candidate": "smote", "description": "CE on SMOTE-resampled rows", "mean": 0.798, "sd": 0.04,
             "scores": [0.79, 0.806], "threshold": 0.61, "seconds": 2.5],
            ["rank": 3, "candidate": "ce", "description": "plain cross-entropy", "mean": 0.7, "sd": 0.05,
             "scores": [0.68, 0.72], "threshold": 0.2, "seconds": 0.75],
        ],
        "winner": ["candidate": "wce_w0.9", "description": "weighted CE, w = 0.9 for the rare class", "threshold": 0.52,
                   "why": "wce_w0.9 had the best mean F1 over 5 folds × 1 repeat (0.812 ± 0.031), 0.014 ahead of smote; its threshold 0.43 was tuned on out-of-fold predictions.",
                   "config": ["model": ["type": "logistic"], "loss": ["type": "wce", "weights": ["scheme": "binary", "w": 0.9]],
                              "optimizer": ["type": "lbfgs"], "l2": 0.0001, "seed": 0, "threshold": 0.52]],
        "folds": ["requested": 5, "used": 3, "repeats": 5,
                  "note": "Class '1' has only 3 rows, fewer than the 5 folds asked for: used 3 folds, repeated 5 times."],
        "estimate": ["method": "holdout", "objective": 0.7273, "scores": [0.7273], "winners": ["wce_w0.9"], "rows": 1904, "metrics": metrics],
        "calibration": ["method": "platt", "parameters": ["a": 1.1, "b": -0.25], "applied_to_model": true, "on": "holdout",
                        "threshold_calibrated": 0.52,
                        "before": ["brier": 0.0123, "log_loss": 0.0456,
                                   "reliability": [["mean_predicted": 0.02, "fraction_positive": 0.01, "count": 1800],
                                                   ["mean_predicted": 0.55, "fraction_positive": 0.7, "count": 20],
                                                   ["mean_predicted": 0.93, "fraction_positive": 0.98, "count": 84]]],
                        "after": ["brier": 0.0101, "log_loss": 0.04,
                                  "reliability": [["mean_predicted": 0.015, "fraction_positive": 0.01, "count": 1800],
                                                  ["mean_predicted": 0.68, "fraction_positive": 0.7, "count": 20],
                                                  ["mean_predicted": 0.96, "fraction_positive": 0.98, "count": 84]]]],
        "skipped": ["under": "Fold 2 keeps no row of class '1' after under-sampling."],
        "notes": ["Class '1' has only 3 rows, fewer than the 5 folds asked for: used 3 folds, repeated 5 times.",
                  "Platt scaling was fitted on the winner's out-of-fold probabilities."],
        "warnings": ["The dataset's column 'x' is constant."],
    ]

    func lines(_ text: String) -> [String] { text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) }

    @Test func theLeaderboardRanksTheCandidatesAndMarksTheWinner() {
        let text = Render.result("tune", Self.holdoutResult, params: [:], terminal: .plain())
        let all = lines(text)
        #expect(all[0] == "  best (run r4): 3 candidates ranked by F1 (higher is better), 3 folds × 5 repeats (5 folds asked), 0:13")
        #expect(Array(all[1...5]) == [
            "  rank  candidate      F1 mean ± sd  threshold  seconds",
            "  ────  ──────────  ───────────────  ─────────  ───────",
            "     1  wce_w0.9 *  0.8120 ± 0.0310      0.430      1.2",
            "     2  smote       0.7980 ± 0.0400      0.610      2.5",
            "     3  ce          0.7000 ± 0.0500      0.200      0.8",
        ])
        #expect(all[6].hasPrefix("  * the winner, stored as model best."))
        #expect(all[7] == "  chosen: wce_w0.9 (weighted CE, w = 0.9 for the rare class), threshold 0.520 (0.430 before calibration); "
                + "'evaluate best DATASET' scores it with that threshold")
        #expect(all[8] == "  why: wce_w0.9 had the best mean F1 over 5 folds × 1 repeat (0.812 ± 0.031), 0.014 ahead of smote; its threshold 0.43 was tuned on out-of-fold predictions.")
        #expect(all[9].hasPrefix("  config (model/train params): {") && all[9].contains("\"w\":0.9"))
        #expect(all[10] == "  folds: Class '1' has only 3 rows, fewer than the 5 folds asked for: used 3 folds, repeated 5 times.")
        #expect(all[11] == "  honest estimate (holdout of 1,904 rows, never used to choose): F1 0.7273")
        #expect(all[12].hasPrefix("  Positive class  Recall"))
        #expect(text.contains("  calibration platt (a 1.1, b -0.25), on the holdout rows: Brier 0.0123 → 0.0101, log loss 0.0456 → 0.0400\n"
                              + "  folded into the stored model: it predicts calibrated probabilities, its threshold 0.520 on that scale\n"
                              + "  reliability before calibration: fraction positive by mean predicted probability\n"))
        #expect(text.contains("\n  reliability after platt: fraction positive by mean predicted probability\n"))
        // The fold plan's note, which the daemon lists in notes too, is said once.
        #expect(text.components(separatedBy: "has only 3 rows").count == 2)
        #expect(all.suffix(3) == ["  skipped under: Fold 2 keeps no row of class '1' after under-sampling.",
                                  "  note: Platt scaling was fitted on the winner's out-of-fold probabilities.",
                                  "  warning: The dataset's column 'x' is constant."])
    }

    @Test func aWideTerminalDescribesTheCandidatesAndAMulticlassBoardHasNoThreshold() {
        let wide = Render.result("tune", Self.holdoutResult, params: [:], terminal: .plain(width: 140))
        #expect(wide.contains("  rank  candidate      F1 mean ± sd  threshold  seconds  description\n"))
        #expect(wide.contains("     1  wce_w0.9 *  0.8120 ± 0.0310      0.430      1.2  weighted CE, w = 0.9 for the rare class\n"))
        var multiclass = Self.holdoutResult.objectValue!
        multiclass["leaderboard"] = [["rank": 1, "candidate": "ce", "description": "plain cross-entropy", "mean": 0.61, "sd": 0, "scores": [0.61], "seconds": 3]]
        multiclass["winner"] = ["candidate": "ce", "description": "plain cross-entropy", "why": "ce was the only candidate."]
        let text = Render.result("tune", .object(multiclass), params: [:], terminal: .plain())
        #expect(text.contains("  rank  candidate     F1 mean ± sd  seconds\n"))
        #expect(text.contains("\n  chosen: ce (plain cross-entropy)\n"), "a multiclass winner has no threshold to evaluate with")
    }

    @Test func aNestedEstimateShowsEachOuterFoldAndItsWinner() {
        var nested = Self.holdoutResult.objectValue!
        nested["estimate"] = ["method": "nested", "objective": 0.79, "sd": 0.03, "scores": [0.76, 0.8, 0.81],
                              "winners": ["wce_w0.9", "smote", "wce_w0.9"], "rows": 9520]
        nested["calibration"] = nil
        let text = Render.result("tune", .object(nested), params: [:], terminal: .plain())
        #expect(text.contains("\n  honest estimate (nested, 3 outer folds of 9,520 rows): F1 0.7900 ± 0.0300\n"
                              + "  per outer fold (its own winner): 0.7600 (wce_w0.9), 0.8000 (smote), 0.8100 (wce_w0.9)\n"))
        #expect(!text.contains("calibration") && !text.contains("reliability"))
    }

    @Test func withoutAnEstimateItSaysTheScoresFlatterTheWinner() {
        var none = Self.holdoutResult.objectValue!
        none["estimate"] = ["method": "none"]
        let text = Render.result("tune", .object(none), params: [:], terminal: .plain())
        #expect(text.contains("\n  no honest estimate: the leaderboard's scores chose the winner, so they flatter it.\n"))
    }

    @Test func anIsotonicCalibrationSaysTheModelKeepsRawProbabilities() {
        var isotonic = Self.holdoutResult.objectValue!
        isotonic["calibration"] = ["method": "isotonic", "parameters": ["points": 7], "applied_to_model": false, "on": "oof",
                                   "before": ["brier": 0.02, "log_loss": 0.05, "reliability": []],
                                   "after": ["brier": 0.018, "log_loss": 0.045, "reliability": []]]
        let text = Render.result("tune", .object(isotonic), params: [:], terminal: .plain())
        #expect(text.contains("\n  calibration isotonic (points 7), on out-of-fold predictions (no held-out rows): Brier 0.0200 → 0.0180"))
        #expect(text.contains("\n  the stored model keeps its raw probabilities (isotonic does not fold into it)"))
        #expect(!text.contains("reliability"), "no curve, no chart")
    }

    @Test func theHTMLHasTheLeaderboardWithTheWinnerBoldAndOneReliabilityImage() throws {
        let capture = RenderCapture()
        let text = RenderCapture.$current.withValue(capture) {
            Render.result("tune", Self.holdoutResult, params: [:], terminal: .plain())
        }
        #expect(capture.charts.count == 1)
        #expect(capture.charts.first?.title == "reliability before and after platt calibration")
        let svg = try #require(capture.charts.first?.svg)
        #expect(svg.contains("before calibration") && svg.contains("after platt") && svg.contains("perfectly calibrated"))
        let html = try #require(capture.html(for: text))
        #expect(html.contains("<th style=\"\(HTMLRender.headerCellStyle);text-align:left\">candidate</th>"))
        #expect(html.contains("<tr style=\"\(HTMLRender.bestRowStyle)\"><td style=\"\(HTMLRender.cellStyle);text-align:right\">1</td>"
                              + "<td style=\"\(HTMLRender.cellStyle);text-align:left\">wce_w0.9 *</td>"))
        #expect(!html.contains("<tr style=\"\(HTMLRender.bestRowStyle)\"><td style=\"\(HTMLRender.cellStyle);text-align:right\">2</td>"))
        // The braille form of the reliability plots is left out: the image shows them.
        #expect(!html.contains("reliability before calibration: fraction positive"))
        #expect(html.contains("why: wce_w0.9 had the best mean F1"))
    }

    @Test func aTuneRunsMetricsAreOneColumnPerCandidateThoughItsNameHasADot() {
        let grid = Render.metricGrid(["wce_w0.9.f1": 0.705, "ce.f1": 0.7541, "focal_g0.5.f1": 0.69, "estimate.f1": 0.6987], .plain())
        #expect(grid == ["  metric      ce  estimate  focal_g0.5  wce_w0.9\n  ──────  ──────  ────────  ──────────  ────────\n  f1      0.7541    0.6987      0.6900    0.7050"])
    }

    @Test func theProgressLineNamesTheFitTheCandidateAndTheStage() {
        var line = ProgressLine(started: Date())
        line.take(["kind": "begin", "title": "Tuning 12 candidates × 5 folds on 9,000 rows", "total": 60])
        let report: JSONValue = ["kind": "report", "fit": 37, "total": 60, "percentage": 61.6, "candidate": "wce_w0.9",
                                 "stage": "selection", "elapsed_s": 37]
        line.take(report)
        #expect(line.text(report, width: 400) == "██████████████░░░░░░░░░░  fit 37 of 60: wce_w0.9 (selection)  elapsed 0:37  ETA 0:23")
        let end = line.text(["kind": "end", "stop_reason": "completed", "winner": "wce_w0.9", "elapsed_s": 61], width: 400)
        #expect(end == String(repeating: "█", count: 24) + "  60 fits (completed), winner wce_w0.9  elapsed 1:01")
    }
}
