import BallastProtocol
import Foundation

/// `tune`: `experiment/tune`, Ballast choosing the loss, weights, resampling, threshold and
/// calibration for the person, with an estimate of how well its choice does on rows that did not
/// choose it. The objective's parameters are options of their own (`beta=2`, `min_precision=0.9`,
/// `fp=1 fn=20`, `cost=[[…]]`), each implying its objective, as `w=` implies `loss=wce` for `train`.
extension CommandTable {
    /// An objective parameter's option: the key, where it goes in `objective`, the objective it
    /// implies and its help.
    struct ObjectiveParameter {
        var key: String
        var field: String
        var objective: ObjectiveName
        var kind: ValueKind
        var help: String
    }

    static let objectiveParameters = [
        ObjectiveParameter(key: "beta", field: "beta", objective: .fbeta, kind: .number,
                           help: "objective.beta: F-beta's β > 0 (implies objective=fbeta; 2 weighs recall twice as much as precision)"),
        ObjectiveParameter(key: "min_precision", field: "precision", objective: .recallAtPrecision, kind: .number,
                           help: "objective.precision: the precision floor in (0, 1] (implies objective=recall_at_precision: the best recall at that precision; a fold that misses the floor scores its shortfall, below 0)"),
        ObjectiveParameter(key: "min_recall", field: "recall", objective: .precisionAtRecall, kind: .number,
                           help: "objective.recall: the recall floor in (0, 1] (implies objective=precision_at_recall: the best precision at that recall; a fold that misses the floor scores its shortfall, below 0)"),
        ObjectiveParameter(key: "fp", field: "fp", objective: .cost, kind: .number,
                           help: "objective.fp: the cost of a false positive (implies objective=cost: the lowest expected cost per row)"),
        ObjectiveParameter(key: "fn", field: "fn", objective: .cost, kind: .number,
                           help: "objective.fn: the cost of a false negative (implies objective=cost)"),
        ObjectiveParameter(key: "cost", field: "matrix", objective: .cost, kind: .json,
                           help: "objective.matrix: K×K costs, row = truth, column = predicted, e.g. [[0,1],[20,0]] (implies objective=cost)"),
    ]

    static func tuneCommand(_ v: Initialize.Capabilities) -> CommandSpec {
        let objectives = v.objectives, calibrations = v.calibrations, estimates = v.estimates
        let options: [OptionSpec] = [
            OptionSpec(key: "objective", target: ["objective", "type"], kind: .text, names: .choice(objectives),
                       help: "objective: \(spoken(objectives)) (default f1; its parameters below imply it)"),
        ] + objectiveParameters.map {
            OptionSpec(key: $0.key, target: ["objective", $0.field], kind: $0.kind, help: $0.help)
        } + [
            OptionSpec(key: "calibrate", target: ["calibrate"], kind: .text, names: .choice(calibrations),
                       help: "calibrate: \(spoken(calibrations)) (default none): fitted on the winner's out-of-fold probabilities"),
            OptionSpec(key: "folds", target: ["folds"], kind: .integer, help: "folds: cross-validation folds (default 5; fewer when a class has fewer rows)"),
            OptionSpec(key: "repeats", target: ["repeats"], kind: .integer, help: "repeats: of the cross-validation, 1 to 20 (default by the rarest class: 1 from 50 rows, 3 from 10, else 5)"),
            OptionSpec(key: "estimate", target: ["estimate"], kind: .text, names: .choice(estimates),
                       help: "estimate: \(spoken(estimates)) (default nested, every row chooses; holdout keeps a fraction out of the choice): how the winner is scored on rows that did not choose it"),
            OptionSpec(key: "holdout", target: ["holdout"], kind: .number, help: "holdout: the fraction held out for estimate=holdout, in (0, 0.5] (default 0.2; implies estimate=holdout)"),
            OptionSpec(key: "outer_folds", target: ["outer_folds"], kind: .integer, help: "outer_folds: for estimate=nested, 2 to 10 (default 3; implies estimate=nested)"),
            OptionSpec(key: "candidates", target: ["candidates"], kind: .words, names: .choice(v.candidates),
                       help: "candidates: a,b,… of the default ones (\(v.candidates.joined(separator: ", "))), or a JSON list of {name, loss, resample, model} (default: those for the data, binary or multiclass; mlp only with mlp=true)"),
            OptionSpec(key: "mlp", target: ["include_mlp"], kind: .bool, help: "include_mlp: try a small network (hidden 32) too (default false)"),
            OptionSpec(key: "w", target: ["grid", "w"], kind: .grid, help: "grid.w: the rare class's weights for the wce_w… candidates (default 0.6,0.75,0.9,0.97)"),
            OptionSpec(key: "gamma", target: ["grid", "gamma"], kind: .grid, help: "grid.gamma: the focal candidates' γ (default 0.5,1,2)"),
            OptionSpec(key: "keep", target: ["keep"], kind: .bool, help: "keep: keep the tuned model across daemon restarts (default true)"),
        ] + modelOptions(v)
        return CommandSpec(
            name: "tune", method: ExperimentTune.method,
            positionals: [Positional(metavar: "DATASET", target: ["dataset"], kind: .text, names: .dataset)],
            options: options,
            asTarget: ["name"],
            summary: "Let Ballast choose: cross-validates losses, weights and resampling, tunes the threshold, stores the winner, estimates it honestly.",
            examples: ["tune cards.train as best", "tune cards.train objective=fbeta beta=2 calibrate=platt",
                       "tune cards.train min_precision=0.9 folds=3 estimate=nested", "tune cards.train fp=1 fn=20 candidates=ce,wce_balanced,smote",
                       "tune cards.train w=0.8:0.99:5 gamma=1,2 mlp=true"],
            notes: "The leaderboard's scores chose the winner, so they flatter it; the honest estimate scores it on rows that took no part "
                + "in choosing. The stored model carries the tuned threshold (and the calibration, but for isotonic): 'evaluate NAME DATASET' uses both.",
            finish: finishTune)
    }

    /// The objective its parameters imply (`beta=` → fbeta), `estimate=nested` implied by
    /// `outer_folds=`, and the optimizer implied by its settings. Parameters of two objectives, or
    /// of another objective than the one named, are refused here rather than sent.
    @Sendable static func finishTune(_ params: inout [String: JSONValue]) throws(UsageError) -> [String] {
        var notes: [String] = []
        if case .object(var objective)? = params["objective"] {
            let given = objectiveParameters.filter { objective[$0.field] != nil }
            let implied = given.reduce(into: [ObjectiveName]()) { if !$0.contains($1.objective) { $0.append($1.objective) } }
            if implied.count > 1 {
                throw UsageError(message: "\(spoken(given.map { "\($0.key)=" })) belong to different objectives "
                                 + "(\(spoken(implied.map(\.rawValue)))): tune for one.")
            }
            if let wanted = implied.first {
                if let named = objective["type"]?.stringValue, named != wanted.rawValue {
                    throw UsageError(message: "\(spoken(given.map { "\($0.key)=" })) \(given.count == 1 ? "goes" : "go") with objective=\(wanted.rawValue), not objective=\(named).")
                }
                objective["type"] = .string(wanted.rawValue)
            }
            // An objective without parameters goes as its name, as the protocol's examples write it.
            params["objective"] = objective.count == 1 ? objective["type"] ?? .object(objective) : .object(objective)
        }
        let estimate = params["estimate"]?.stringValue
        if params["outer_folds"] != nil {
            if estimate == nil {
                params["estimate"] = .string(EstimateName.nested.rawValue)
                notes.append("estimate: nested (implied by outer_folds=)")
            } else if estimate != EstimateName.nested.rawValue {
                throw UsageError(message: "outer_folds= goes with estimate=nested, not estimate=\(estimate!).")
            }
        }
        if params["holdout"] != nil {
            if estimate == nil {
                params["estimate"] = .string(EstimateName.holdout.rawValue)
                notes.append("estimate: holdout (implied by holdout=)")
            } else if estimate != EstimateName.holdout.rawValue {
                throw UsageError(message: "holdout= is the fraction held out for estimate=holdout, not for estimate=\(estimate!).")
            }
        }
        return notes + inferOptimizer(&params)
    }
}
