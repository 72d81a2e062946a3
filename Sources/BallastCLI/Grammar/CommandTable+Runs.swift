import BallastProtocol
import Foundation

/// `runs` and its subcommands: past and running runs as the daemon keeps them (`run/list`,
/// `run/describe`, `run/compare`, `run/delete`). Each subcommand is a command of its own, named
/// by two words (`runs compare`), so help, completion and parsing treat it as any other.
extension CommandTable {
    /// The methods that make runs, for `runs method=`.
    static let runMethods = [ModelTrain.method, ExperimentCompare.method, ExperimentSweep.method, ExperimentTune.method]
    /// What `run/list` sorts by besides a final metric (RunList.Params.sortBy).
    static let runSortColumns = ["started", "ended", "seconds"]

    static func runCommands(_ v: Initialize.Capabilities) -> [CommandSpec] {
        let runWords = Positional(metavar: "RUN…", target: ["runs"], kind: .text, names: .run, variadic: true)
        return [
            CommandSpec(name: "runs", method: RunList.method,
                        options: [
                            OptionSpec(key: "dataset", target: ["dataset"], kind: .text, names: .dataset, help: "dataset: runs that read it, in any role"),
                            OptionSpec(key: "model", target: ["model"], kind: .text, names: .model, help: "model: runs that made the model of this name"),
                            OptionSpec(key: "model_type", target: ["model_type"], kind: .text, names: .choice(v.models), help: "model_type: \(spoken(v.models))"),
                            OptionSpec(key: "loss", target: ["loss"], kind: .text, names: .choice(v.losses), help: "loss: \(spoken(v.losses))"),
                            OptionSpec(key: "status", target: ["status"], kind: .text, names: .choice(RunStatusName.names),
                                       help: "status: \(spoken(RunStatusName.names))"),
                            OptionSpec(key: "method", target: ["method"], kind: .text, names: .choice(runMethods), help: "method: \(spoken(runMethods))"),
                            OptionSpec(key: "since", target: ["since"], kind: .text, help: "since: runs begun at or after this time (ISO 8601 date or time, UTC: 2026-11-30 or 2026-11-30T08:00:00Z)"),
                            OptionSpec(key: "until", target: ["until"], kind: .text, help: "until: runs begun before this time (ISO 8601)"),
                            OptionSpec(key: "sort", target: ["sort_by"], kind: .text, names: .runSortKey,
                                       help: "sort_by: started (the default), ended, seconds or a final metric (validation.f1)"),
                            OptionSpec(key: "order", target: ["order"], kind: .text, names: .choice(SortOrderName.names),
                                       help: "order: \(spoken(SortOrderName.names)) (default desc: newest or highest first)"),
                            OptionSpec(key: "limit", target: ["limit"], kind: .integer, help: "limit: runs per page (default 50, at most 1,000)"),
                            OptionSpec(key: "offset", target: ["offset"], kind: .integer, help: "offset: runs to skip (a page's next_offset)"),
                            OptionSpec(key: "metrics", target: [], kind: .words, names: .runMetric,
                                       help: "the metric columns shown, a,b,… (not sent; default: the sorted-by metric, then the first of validation.f1, validation.pr_auc, train.f1, train.pr_auc, best.mean the page has, three at most)"),
                        ],
                        summary: "Past and running runs, newest first, a page at a time ('runs next' shows the next page).",
                        examples: ["runs", "runs dataset=cards.train status=completed sort=validation.f1 limit=20",
                                   "runs loss=wce since=2026-11-30 metrics=validation.f1,validation.recall", "runs next"],
                        notes: "Every filter given must match; a run without the sorted-by metric comes last. Subcommands: "
                            + "runs next, runs show RUN, runs compare RUN…, runs delete RUN…."),
            CommandSpec(name: "runs next", method: RunList.method,
                        summary: "The next page of the last 'runs' listing, with its filters and sort.",
                        examples: ["runs sort=validation.f1 limit=10", "runs next"]),
            CommandSpec(name: "runs show", method: RunDescribe.method,
                        positionals: [Positional(metavar: "RUN", target: ["run"], kind: .text, names: .run)],
                        summary: "Everything kept about one run: its request, resolved config, datasets, final metrics.",
                        examples: ["runs show r3"],
                        notes: "'events RUN' lists its records."),
            CommandSpec(name: "runs compare", method: RunCompare.method,
                        positionals: [runWords],
                        options: [
                            OptionSpec(key: "metrics", target: ["metrics"], kind: .words, names: .runMetric,
                                       help: "metrics: a,b,… (default every metric the runs have)"),
                            OptionSpec(key: "params", target: ["params"], kind: .words,
                                       help: "params: dotted paths into the requests, a,b,… (default those that differ: loss.type, optimizer.lr)"),
                        ],
                        summary: "Chosen metrics and params of runs side by side; * marks each metric's best.",
                        examples: ["runs compare r3 r5 r7", "runs compare r3 r5 metrics=validation.f1,validation.recall params=loss.type,seed"],
                        notes: "One column per run when there are fewer runs than rows to show, else one row per run. "
                            + "Best is the highest, or the lowest for a loss, log_loss, brier, objective or cost; counts and thresholds are not ranked."),
            CommandSpec(name: "runs delete", method: RunDelete.method,
                        positionals: [runWords],
                        summary: "Forget finished runs and their records (the models they trained are kept).",
                        examples: ["runs delete r3 r4"],
                        notes: "A running run is refused: 'cancel RUN' first."),
        ]
    }
}
