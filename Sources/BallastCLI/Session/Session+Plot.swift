import BallastProtocol
import Foundation

/// `plot`: a model's training loss (from its run's records) and its PR and ROC curves on a dataset.
extension Session {
    func plot(_ invocation: Invocation) throws(Failure) {
        guard let model = invocation.words.first else { throw .usage("Usage: plot MODEL [DATASET] [run=RUN]") }
        let summary = try request(ModelDescribe.method, ["model": .string(model)])
        var dataset = invocation.words.count > 1 ? invocation.words[1] : nil
        if dataset == nil, let trainedOn = summary["model"]?["trained_on"]?.stringValue {
            let known = names(.dataset)
            let prefix = trainedOn.hasSuffix(".train") ? String(trainedOn.dropLast(6)) : trainedOn
            dataset = known.contains(prefix + ".test") ? prefix + ".test" : trainedOn
        }
        let run = invocation.params["@run"]?.stringValue ?? summary["model"]?["run"]?.stringValue ?? modelRuns[model]
        var loss: [(Double, Double)] = []
        var validationF1: [(Double, Double)] = []
        if let run {
            // Every page: a long training has more records than one reply holds.
            var since: JSONValue = 0
            while true {
                let events = try request(RunEvents.method, ["run": .string(run), "since_seq": since])
                for event in events["events"]?.arrayValue ?? [] where event["kind"]?.stringValue == "report" {
                    guard let step = event["step"]?.doubleValue else { continue }
                    if let l = event["loss"]?.doubleValue { loss.append((step, l)) }
                    if let f = event["validation"]?["f1"]?.doubleValue { validationF1.append((step, f)) }
                }
                guard let next = events["next_since_seq"], next != .null else { break }
                since = next
            }
        }
        var pr: [(Double, Double)] = []
        var roc: [(Double, Double)] = []
        var report: JSONValue = .null
        if let dataset {
            report = try request(ModelEvaluate.method, ["model": .string(model), "dataset": .string(dataset), "curves": true])
            pr = Charts.curvePoints(report, "pr")
            roc = Charts.curvePoints(report, "roc")
        }
        // The plot's data is its structured result (repl/execute's `result`, `--json`'s line).
        let data: JSONValue = ["model": .string(model), "run": run.map(JSONValue.string) ?? .null,
                               "loss": .array(loss.map { [.double($0.0), .double($0.1)] }),
                               "pr": .array(pr.map { [.double($0.0), .double($0.1)] }),
                               "roc": .array(roc.map { [.double($0.0), .double($0.1)] }),
                               "dataset": dataset.map(JSONValue.string) ?? .null]
        lastResult = data
        if options.json {
            output.line(JSONWriter.string(data))
            return
        }
        let width = Charts.width(forTerminal: terminal.width)
        if loss.count > 1 {
            var plots = Charts.trainingPlots(title: model, loss: loss, validation: validationF1, width: width)
            // The terminal has always named the run in the loss plot's title.
            plots[0].title = "\(model): training loss by step (run \(run ?? "?"))"
            for chart in plots { output.line(chart.render()) }
        } else if run == nil {
            output.line("  \(model): no loss curve: this session did not train it (give run=RUN; 'events' lists a run's records).")
        } else {
            output.line("  \(model): run \(run!) recorded fewer than two loss values.")
        }
        if pr.count > 1, let dataset {
            output.line(Charts.prPlot(title: "\(model): precision-recall curve on \(dataset) (PR-AUC \(Fmt.num(report["pr_auc"]?.doubleValue)))",
                                      pr, width: width).render())
        }
        if roc.count > 1, let dataset {
            output.line(Charts.rocPlot(title: "\(model): ROC curve on \(dataset) (ROC-AUC \(Fmt.num(report["roc_auc"]?.doubleValue)))",
                                       roc, width: width).render())
        }
        for warning in Render.warnings(report) { output.line(warning) }
    }
}
