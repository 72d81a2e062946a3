import BallastProtocol
import Testing
@testable import BallastCLI

/// How `runs`, `runs show`, `runs compare` and `runs delete` show the daemon's answers.
@Suite struct RunsRenderTests {
    func summary(_ run: String, method: String = "model/train", status: RunStatusName = .completed, model: String? = nil,
                 loss: String? = nil, metrics: [String: Double] = [:], message: String? = nil) -> RunSummary {
        RunSummary(
            run: run, method: method, status: status, started: "2026-11-30T08:35:38.125Z", ended: "2026-11-30T08:35:39.500Z",
            seconds: 1.375, datasets: [RunDataset(role: "dataset", name: "cards.train", fingerprint: "3fa2c1d09b2e77aa"),
                                       RunDataset(role: "validation", name: "cards.validation")],
            model: model, modelType: model == nil ? nil : "logistic", loss: loss, metrics: metrics, message: message)
    }

    @Test func aListingIsATableWithTheSortedMetricFirstAndSaysHowToPage() throws {
        let result = try JSONValue(encoding: RunList.Result(runs: [
            summary("r9", model: "wce", loss: "wce", metrics: ["validation.f1": 0.774194, "validation.pr_auc": 0.71, "train.f1": 0.8,
                                                           "validation.recall": 0.75, "steps": 42]),
            summary("r4", method: "experiment/compare", metrics: ["ce.f1": 0.64]),
            summary("r2", status: .failed, model: "net", loss: "focal", message: "The dataset 'x' has one class."),
        ], total: 57, nextOffset: 23))
        let text = Render.result("runs", result, params: ["sort_by": "validation.recall", "offset": 20, "limit": 3], terminal: .plain())
        #expect(text == """
          run  method              status     started (UTC)        model  loss   datasets                       validation.recall  validation.f1  validation.pr_auc
          ───  ──────────────────  ─────────  ───────────────────  ─────  ─────  ─────────────────────────────  ─────────────────  ─────────────  ─────────────────
          r9   model/train         completed  2026-11-30 08:35:38  wce    wce    cards.train, cards.validation             0.7500         0.7742             0.7100
          r4   experiment/compare  completed  2026-11-30 08:35:38  –      –      cards.train, cards.validation                  –              –                  –
          r2   model/train         failed     2026-11-30 08:35:38  net    focal  cards.train, cards.validation                  –              –                  –
          runs 21–23 of 57, by validation.recall, highest first; 'runs next' shows the next page
          r2 failed: The dataset 'x' has one class.
        """)
    }

    @Test func metricsChoosesTheColumnsAndTheLastPageSaysNothingOfANext() throws {
        let result = try JSONValue(encoding: RunList.Result(runs: [
            RunSummary(run: "r1", method: "model/train", status: .completed, started: "2026-11-30T08:00:00Z",
                       metrics: ["steps": 12, "train.recall": 0.5]),
        ], total: 1))
        let text = Render.result("runs next", result, params: ["@metrics": "steps,train.recall", "order": "asc"], terminal: .plain())
        #expect(text == """
          run  method       status     started (UTC)        model  loss  datasets  steps  train.recall
          ───  ───────────  ─────────  ───────────────────  ─────  ────  ────────  ─────  ────────────
          r1   model/train  completed  2026-11-30 08:00:00  –      –     –            12        0.5000
          runs 1–1 of 1, oldest first
        """)
    }

    @Test func anEmptyListingSaysWhetherAnyRunExists() throws {
        let none = try JSONValue(encoding: RunList.Result(runs: [], total: 0))
        #expect(Render.result("runs", none, params: [:], terminal: .plain()) == "  no runs yet: 'train DATASET as NAME' records one")
        #expect(Render.result("runs", none, params: ["status": "failed", "limit": 5], terminal: .plain()) == "  no runs match these filters")
        let past = try JSONValue(encoding: RunList.Result(runs: [], total: 4))
        #expect(Render.result("runs", past, params: ["offset": 10], terminal: .plain())
                == "  no runs from 11 on: 4 match ('runs offset=0' shows the first page)")
    }

    @Test func aRunShownHasItsMetricsAsAGridAndItsRequest() throws {
        let described = try JSONValue(encoding: RunDescribe.Result(
            summary: RunSummary(run: "r3", method: "model/train", status: .completed, started: "2026-11-30T08:35:38.125Z",
                                ended: "2026-11-30T08:35:39.500Z", seconds: 1.375,
                                datasets: [RunDataset(role: "dataset", name: "cards.train", fingerprint: "3fa2c1d09b2e77aa0011")],
                                model: "wce", modelType: "logistic", loss: "wce",
                                metrics: ["train.f1": 0.8, "validation.f1": 0.75, "train.log_loss": 0.12,
                                          "validation.log_loss": 0.2, "objective": 0.118, "steps": 42]),
            params: ["dataset": "cards.train", "loss": ["type": "wce"]], eventCount: 24))
        let text = Render.result("runs show", described, params: ["run": "r3"], terminal: .plain())
        #expect(text == """
          run r3: model/train, completed; started 2026-11-30 08:35:38 UTC, ended 2026-11-30 08:35:39 (1.4s)
          model: wce (logistic, loss wce)
          datasets: cards.train (dataset, 3fa2c1d09b2e)
          metric     train  validation
          ────────  ──────  ──────────
          f1        0.8000      0.7500
          log_loss  0.1200      0.2000
          objective 0.1180, steps 42
          params: {"dataset":"cards.train","loss":{"type":"wce"}}
          records: 24 ('events r3' lists them)
        """)
    }

    @Test func aComparisonMarksEachMetricsBestAndPutsFewRunsInColumns() throws {
        let result = try JSONValue(encoding: RunCompare.Result(
            metrics: ["validation.f1", "validation.log_loss", "steps"], params: ["loss.type", "optimizer.lr"],
            rows: [RunCompare.Row(run: "r3", metrics: [0.64, 0.31, 40], params: ["ce", 0.01]),
                   RunCompare.Row(run: "r5", metrics: [0.77, 0.35, 42], params: ["wce", .null]),
                   RunCompare.Row(run: "r7", metrics: [nil, 0.29, 38], params: ["focal", 0.1])]))
        let text = Render.result("runs compare", result, params: [:], terminal: .plain())
        #expect(text == """
                                    r3       r5       r7
          ───────────────────  ───────  ───────  ───────
          loss.type                 ce      wce    focal
          optimizer.lr            0.01        –      0.1
          validation.f1        0.6400   0.7700*       –
          validation.log_loss  0.3100   0.3500   0.2900*
          steps                     40       42       38
          * each metric's best: the highest, or the lowest for a loss, log_loss, brier, objective or cost.
        """)
    }

    @Test func manyRunsAreRowsOfAComparison() throws {
        let result = try JSONValue(encoding: RunCompare.Result(
            metrics: ["validation.f1"], params: ["loss.type"],
            rows: [RunCompare.Row(run: "r3", metrics: [0.64], params: ["ce"]),
                   RunCompare.Row(run: "r5", metrics: [0.77], params: ["wce"]),
                   RunCompare.Row(run: "r7", metrics: [0.7], params: ["focal"])]))
        let text = Render.result("runs compare", result, params: [:], terminal: .plain())
        #expect(text == """
          run  loss.type  validation.f1
          ───  ─────────  ─────────────
          r3   ce               0.6400
          r5   wce              0.7700*
          r7   focal            0.7000
          * each metric's best: the highest, or the lowest for a loss, log_loss, brier, objective or cost.
        """)
    }

    @Test func rankingKnowsWhichWayIsBetter() {
        #expect(RunMetricRanking.of("validation.f1") == .higherIsBetter)
        #expect(RunMetricRanking.of("wce_inverse.pr_auc") == .higherIsBetter)
        #expect(RunMetricRanking.of("best.mean") == .higherIsBetter)
        #expect(RunMetricRanking.of("train.log_loss") == .lowerIsBetter)
        #expect(RunMetricRanking.of("objective") == .lowerIsBetter)
        #expect(RunMetricRanking.of("steps") == nil)
        #expect(RunMetricRanking.of("ce.threshold") == nil)
        #expect(RunMetricRanking.best(of: "objective", [0.3, nil, 0.1]) == 0.1)
        #expect(RunMetricRanking.best(of: "steps", [3, 4]) == nil)
        for name in MetricName.names where name != "loss" {
            #expect(RunMetricRanking.of("validation." + name) == .higherIsBetter, "the experiments' metric \(name) is ranked")
        }
    }

    @Test func aDeletionNamesWhatWent() {
        #expect(Render.result("runs delete", ["deleted": ["r3", "r4"]], params: [:], terminal: .plain()) == "  deleted r3, r4")
    }
}
