import BallastProtocol
import Foundation

/// The command table: every command, its method, positionals and options, with help and examples.
/// Every list of names (models, losses, schemes, …) is the vocabulary's, as the daemon advertises it.
enum CommandTable {
    /// `keep=false` on a command that makes a dataset: held in memory only, not kept across restarts.
    static let keepOption = OptionSpec(key: "keep", target: ["keep"], kind: .bool,
                                       help: "keep: keep it across daemon restarts (default true)")

    /// "a, b or c".
    static func spoken(_ names: [String]) -> String {
        guard names.count > 1 else { return names.first ?? "" }
        return names.dropLast().joined(separator: ", ") + " or " + names.last!
    }

    static func modelOptions(_ v: Initialize.Capabilities) -> [OptionSpec] {
        [
            OptionSpec(key: "model", target: ["model", "type"], kind: .text, names: .choice(v.models), help: "model.type: \(spoken(v.models))"),
            OptionSpec(key: "hidden", target: ["model", "hidden"], kind: .integers, help: "model.hidden: MLP layer sizes, e.g. 64,32"),
            OptionSpec(key: "optimizer", target: ["optimizer", "type"], kind: .text, names: .choice(v.optimizers),
                       help: "optimizer.type: \(spoken(v.optimizers)) (implied: lbfgs by max_iter/tol, sgd by momentum, adam by lr/epochs/batch_size; a note says when that is not the model's default)"),
            OptionSpec(key: "lr", target: ["optimizer", "lr"], kind: .number, help: "optimizer.lr"),
            OptionSpec(key: "epochs", target: ["optimizer", "epochs"], kind: .integer, help: "optimizer.epochs"),
            OptionSpec(key: "batch_size", target: ["optimizer", "batch_size"], kind: .integer, help: "optimizer.batch_size"),
            OptionSpec(key: "momentum", target: ["optimizer", "momentum"], kind: .number, help: "optimizer.momentum (sgd)"),
            OptionSpec(key: "max_iter", target: ["optimizer", "max_iter"], kind: .integer, help: "optimizer.max_iter (lbfgs)"),
            OptionSpec(key: "tol", target: ["optimizer", "tol"], kind: .number, help: "optimizer.tol (lbfgs)"),
            OptionSpec(key: "l2", target: ["l2"], kind: .number, help: "l2: L2 penalty (default 1/Σ weights, scikit-learn's C = 1)"),
            OptionSpec(key: "seed", target: ["seed"], kind: .integer, help: "seed"),
        ]
    }

    /// `unseen_levels=`, spelt as on the wire (and in `data.field` of the error it answers), so
    /// the REPL, the protocol and the Python client share one name.
    static func unseenLevelsOption(_ v: Initialize.Capabilities) -> OptionSpec {
        OptionSpec(key: "unseen_levels", target: ["unseen_levels"], kind: .text, names: .choice(v.unseenLevels),
                   help: "unseen_levels: \(spoken(v.unseenLevels)): what a text level the training data never had becomes "
                       + "(error, the default, refuses it; zeros encodes it as all-zero features and warns)")
    }

    /// An optimizer given only by its settings gets the type those settings belong to. When that
    /// is not the model's own default (Adam for an mlp, L-BFGS otherwise), a note says so: a
    /// logistic model with `epochs=` trains with Adam, not the L-BFGS it would have had.
    @Sendable static func inferOptimizer(_ params: inout [String: JSONValue]) -> [String] {
        guard case .object(var optimizer)? = params["optimizer"], optimizer["type"] == nil else { return [] }
        let type: OptimizerName
        let implying: [String]
        if optimizer["max_iter"] != nil || optimizer["tol"] != nil || optimizer["memory"] != nil {
            (type, implying) = (.lbfgs, ["max_iter", "tol", "memory"])
        } else if optimizer["momentum"] != nil {
            (type, implying) = (.sgd, ["momentum"])
        } else {
            (type, implying) = (.adam, ["lr", "epochs", "batch_size"])
        }
        optimizer["type"] = .string(type.rawValue)
        params["optimizer"] = .object(optimizer)
        let model = params["model"]?["type"]?.stringValue
        let modelDefault: OptimizerName = model == ModelName.mlp.rawValue ? .adam : .lbfgs
        guard type != modelDefault else { return [] }
        let options = implying.filter { optimizer[$0] != nil }.map { "\($0)=" }.joined(separator: ", ")
        let whose = modelDefault == .adam ? "the mlp's default" : "the default for a linear model"
        return ["optimizer: \(type.rawValue) (implied by \(options); without it \(modelDefault.rawValue), \(whose))"]
    }

    static func commands(_ v: Initialize.Capabilities) -> [CommandSpec] {
        let modelOptions = modelOptions(v)
        return [
        CommandSpec(name: "generate", method: DatasetGenerate.method,
                    positionals: [Positional(metavar: "PRESET", target: ["preset"], kind: .text, names: .choice(v.presets), optional: true)],
                    options: [
                        OptionSpec(key: "seed", target: ["seed"], kind: .integer, help: "seed (default 0)"),
                        OptionSpec(key: "rows", target: ["rows"], kind: .integer, help: "rows"),
                        OptionSpec(key: "features", target: ["features"], kind: .integer, help: "features"),
                        OptionSpec(key: "informative", target: ["informative"], kind: .integer, help: "informative"),
                        OptionSpec(key: "positive_rate", target: ["positive_rate"], kind: .number, help: "positive_rate (binary)"),
                        OptionSpec(key: "class_weights", target: ["class_weights"], kind: .grid, help: "class_weights: proportions, e.g. 0.7,0.2,0.1"),
                        OptionSpec(key: "separation", target: ["separation"], kind: .number, help: "separation"),
                        OptionSpec(key: "noise", target: ["noise"], kind: .number, help: "noise"),
                        keepOption,
                    ],
                    asTarget: ["name"],
                    summary: "Make a synthetic dataset from a preset (\(v.presets.joined(separator: ", "))).",
                    examples: ["generate fraud as cards", "generate fraud seed=7 as cards", "generate rows=5000 positive_rate=0.02 as toy"]),
        CommandSpec(name: "load", method: DatasetLoad.method,
                    positionals: [Positional(metavar: "PATH", target: ["path"], kind: .path, names: .file)],
                    options: [
                        OptionSpec(key: "label", target: ["label"], kind: .json, help: "label: column name or 0-based index (default the last column)"),
                        OptionSpec(key: "positive", target: ["positive"], kind: .text, help: "positive: the rare class's label"),
                        OptionSpec(key: "header", target: ["header"], kind: .text, names: .choice(v.headerModes), help: "header: \(spoken(v.headerModes))"),
                        OptionSpec(key: "delimiter", target: ["delimiter"], kind: .text, names: .choice(v.delimiters), help: "delimiter"),
                        OptionSpec(key: "missing", target: ["missing"], kind: .text, names: .choice(v.missingPolicies), help: "missing"),
                        OptionSpec(key: "max_levels", target: ["max_levels"], kind: .integer, help: "max_levels (one-hot text columns)"),
                        OptionSpec(key: "on_bad_lines", target: ["on_bad_lines"], kind: .text, names: .choice(v.badLinePolicies), help: "on_bad_lines: \(spoken(v.badLinePolicies)) (rows with a wrong field count)"),
                        OptionSpec(key: "encoding", target: ["encoding"], kind: .text, names: .choice(v.encodings), help: "encoding: \(spoken(v.encodings))"),
                        OptionSpec(key: "decimal", target: ["decimal"], kind: .text, names: .choice(v.decimals), help: "decimal separator: \(spoken(v.decimals))"),
                        OptionSpec(key: "max_classes", target: ["max_classes"], kind: .integer, help: "max_classes: most distinct labels (default 1000)"),
                        OptionSpec(key: "id", target: ["id"], kind: .json, help: "id: a column naming the rows, kept beside the data (name or 0-based index)"),
                        OptionSpec(key: "ignore", target: ["ignore"], kind: .words, help: "ignore: columns to leave out, e.g. note,comment"),
                        OptionSpec(key: "columns", target: ["columns"], kind: .words, help: "columns: the only feature columns, e.g. amount,country"),
                        OptionSpec(key: "schema", target: ["schema"], kind: .text, names: .dataset,
                                   help: "schema: a dataset or model; the file is encoded exactly as its data (same columns by name, same levels, same order)"),
                        unseenLevelsOption(v),
                        keepOption,
                        OptionSpec(key: "storage", target: ["storage"], kind: .text, names: .choice(DatasetStorageName.names),
                                   help: "storage: memory (default) or disk (streamed into a file the daemon maps: for files larger than memory; numeric features only)"),
                    ],
                    asTarget: ["name"],
                    summary: "Load a CSV or TSV file into the daemon (a relative PATH is taken from your working directory).",
                    examples: ["load data/creditcard.csv label=Class as cards", "load ~/data.tsv delimiter=tab",
                               "load test.csv schema=cards.train unseen_levels=zeros as cards.test",
                               "load europe.csv delimiter=; decimal=, on_bad_lines=skip",
                               "load txns.csv label=fraud id=txn ignore=note as txns",
                               "load huge.csv label=Class storage=disk as big"],
                    notes: "Load a held-out file with schema=TRAINING-DATA: its text columns then get the training data's one-hot features."),
        CommandSpec(name: "split", method: DatasetSplit.method,
                    positionals: [Positional(metavar: "DATASET", target: ["dataset"], kind: .text, names: .dataset)],
                    options: [
                        OptionSpec(key: "test", target: ["test"], kind: .number, help: "test: fraction held out for testing (default 0.3)"),
                        OptionSpec(key: "val", target: ["validation"], kind: .number, help: "validation: fraction for validation (default 0)"),
                        OptionSpec(key: "seed", target: ["seed"], kind: .integer, help: "seed"),
                        OptionSpec(key: "prefix", target: ["prefix"], kind: .text, help: "prefix of the parts' names (default the dataset's)"),
                        keepOption,
                    ],
                    summary: "Stratified split into DATASET.train, DATASET.validation, DATASET.test.",
                    examples: ["split cards test=0.3 val=0.2", "split cards test=0.25 seed=3"]),
        CommandSpec(name: "kfold", method: DatasetKFold.method,
                    positionals: [Positional(metavar: "DATASET", target: ["dataset"], kind: .text, names: .dataset)],
                    options: [
                        OptionSpec(key: "folds", target: ["folds"], kind: .integer, help: "folds (default 5)"),
                        OptionSpec(key: "seed", target: ["seed"], kind: .integer, help: "seed"),
                        OptionSpec(key: "materialize", target: ["materialize"], kind: .bool, help: "materialize: make the fold datasets"),
                        keepOption,
                    ],
                    summary: "Stratified k-fold assignment of a dataset's rows.",
                    examples: ["kfold cards.train folds=5"]),
        CommandSpec(name: "standardize", method: DatasetStandardize.method,
                    positionals: [Positional(metavar: "FIT", target: ["fit"], kind: .text, names: .dataset)],
                    options: [
                        OptionSpec(key: "apply", target: ["apply"], kind: .words, names: .dataset, help: "apply: datasets to transform, a,b,… (default FIT)"),
                        OptionSpec(key: "suffix", target: ["suffix"], kind: .text, help: "suffix (default .std)"),
                        OptionSpec(key: "in_place", target: ["in_place"], kind: .bool, help: "in_place"),
                        keepOption,
                    ],
                    summary: "Standardize features with FIT's mean and deviation.",
                    examples: ["standardize cards.train apply=cards.train,cards.test"]),
        CommandSpec(name: "resample", method: DatasetResample.method,
                    positionals: [Positional(metavar: "DATASET", target: ["dataset"], kind: .text, names: .dataset),
                                  Positional(metavar: "METHOD", target: ["method"], kind: .text, names: .choice(v.resampleMethods))],
                    options: [
                        OptionSpec(key: "ratio", target: ["ratio"], kind: .number, help: "ratio: minority over majority afterwards (default 1)"),
                        OptionSpec(key: "k", target: ["k"], kind: .integer, help: "k: SMOTE neighbours (default 5)"),
                        OptionSpec(key: "seed", target: ["seed"], kind: .integer, help: "seed"),
                        keepOption,
                    ],
                    asTarget: ["name"],
                    summary: "Over-sample, under-sample or SMOTE a training set (after splitting, never before).",
                    examples: ["resample cards.train smote ratio=0.1 as cards.smote"]),
        CommandSpec(name: "weights", method: WeightsCompute.method,
                    positionals: [Positional(metavar: "DATASET", target: ["dataset"], kind: .text, names: .dataset)],
                    options: [
                        OptionSpec(key: "scheme", target: ["scheme"], kind: .text, names: .choice(v.weightSchemes), help: "scheme (default inverse, the seed's)"),
                        OptionSpec(key: "beta", target: ["beta"], kind: .number, help: "beta (effective_number)"),
                        OptionSpec(key: "w", target: ["w"], kind: .number, help: "w: the positive class's weight (binary)"),
                        OptionSpec(key: "weights", target: ["weights"], kind: .json, help: "weights: {label: weight} (custom)"),
                        OptionSpec(key: "cost", target: ["cost"], kind: .json, help: "cost: K×K matrix (cost)"),
                    ],
                    summary: "Class weights of a dataset under a scheme.",
                    examples: ["weights cards.train scheme=inverse", "weights cards.train scheme=effective_number beta=0.999"]),
        CommandSpec(name: "train", method: ModelTrain.method,
                    positionals: [Positional(metavar: "DATASET", target: ["dataset"], kind: .text, names: .dataset)],
                    options: [
                        OptionSpec(key: "val", target: ["validation"], kind: .text, names: .dataset, help: "validation: dataset scored every step (and for threshold=best_f1)"),
                        OptionSpec(key: "loss", target: ["loss", "type"], kind: .text, names: .choice(v.losses), help: "loss.type: \(spoken(v.losses)) (implied \(LossName.wce.rawValue) by weights=/w=)"),
                        OptionSpec(key: "weights", target: ["loss", "weights", "scheme"], kind: .text, names: .choice(v.weightSchemes), help: "loss.weights.scheme"),
                        OptionSpec(key: "w", target: ["loss", "weights", "w"], kind: .number, help: "loss.weights.w (implies scheme binary)"),
                        OptionSpec(key: "beta", target: ["loss", "weights", "beta"], kind: .number, help: "loss.weights.beta (implies scheme effective_number)"),
                        OptionSpec(key: "gamma", target: ["loss", "gamma"], kind: .number, help: "loss.gamma (focal)"),
                        OptionSpec(key: "alpha", target: ["loss", "alpha"], kind: .number, help: "loss.alpha (focal)"),
                        OptionSpec(key: "threshold", target: ["threshold"], kind: .threshold, names: .choice(v.thresholds), help: "threshold: standard, a number or best_f1"),
                        OptionSpec(key: "reduction", target: ["reduction"], kind: .text, names: .choice(v.reductions), help: "reduction"),
                        OptionSpec(key: "patience", target: ["early_stopping", "patience"], kind: .integer, help: "early_stopping.patience"),
                        OptionSpec(key: "stop_metric", target: ["early_stopping", "metric"], kind: .text, names: .choice(v.metrics), help: "early_stopping.metric"),
                        OptionSpec(key: "min_delta", target: ["early_stopping", "min_delta"], kind: .number, help: "early_stopping.min_delta"),
                        OptionSpec(key: "engine", target: ["engine"], kind: .text, names: .choice(v.engines), help: "engine: \(spoken(v.engines)) (spark: logistic or softmax with ce or wce, fitted by Spark)"),
                        OptionSpec(key: "source", target: ["source", "path"], kind: .path, names: .file, help: "source.path: the file Spark reads (default: the CSV the dataset was loaded from)"),
                    ] + modelOptions,
                    asTarget: ["name"],
                    summary: "Train a model; shows live progress. Ctrl-C cancels the training.",
                    examples: ["train cards.train val=cards.validation loss=ce as ce",
                               "train cards.train val=cards.validation weights=inverse as wce",
                               "train cards.train val=cards.validation model=mlp hidden=32 epochs=20 as net",
                               "train cards weights=balanced engine=spark as spark_wce"],
                    notes: "weights=, w= or beta= without loss= mean loss=wce; w= alone means weights=binary, beta= alone weights=effective_number.",
                    finish: { params in
                        if case .object(var loss)? = params["loss"] {
                            if case .object(var weights)? = loss["weights"], weights["scheme"] == nil {
                                weights["scheme"] = .string((weights["w"] != nil ? WeightSchemeName.binary : .effectiveNumber).rawValue)
                                loss["weights"] = .object(weights)
                            }
                            if loss["type"] == nil { loss["type"] = .string((loss["weights"] != nil ? LossName.wce : .focal).rawValue) }
                            params["loss"] = .object(loss)
                        }
                        return inferOptimizer(&params)
                    }),
        CommandSpec(name: "evaluate", method: ModelEvaluate.method,
                    positionals: [Positional(metavar: "MODEL", target: ["model"], kind: .text, names: .model),
                                  Positional(metavar: "DATASET", target: ["dataset"], kind: .text, names: .dataset)],
                    options: [
                        OptionSpec(key: "threshold", target: ["threshold"], kind: .threshold, names: .choice(v.thresholds), help: "threshold"),
                        OptionSpec(key: "val", target: ["validation"], kind: .text, names: .dataset, help: "validation: where best_f1 is tuned"),
                        OptionSpec(key: "prior_correction", target: ["prior_correction"], kind: .bool, help: "prior_correction"),
                        OptionSpec(key: "curves", target: ["curves"], kind: .bool, help: "curves: include PR and ROC points (default true)"),
                        unseenLevelsOption(v),
                    ],
                    summary: "Metrics of a model on a dataset.",
                    examples: ["evaluate wce cards.test", "evaluate ce cards.test threshold=best_f1 val=cards.validation"]),
        CommandSpec(name: "predict", method: ModelPredict.method,
                    positionals: [Positional(metavar: "MODEL", target: ["model"], kind: .text, names: .model),
                                  Positional(metavar: "DATASET", target: ["dataset"], kind: .text, names: .dataset, optional: true)],
                    options: [
                        OptionSpec(key: "rows", target: ["rows"], kind: .json, help: "rows: [[x, …], …] or [{column: value, …}, …] instead of a dataset"),
                        OptionSpec(key: "threshold", target: ["threshold"], kind: .threshold, names: .choice(v.thresholds), help: "threshold"),
                        unseenLevelsOption(v),
                    ],
                    summary: "Probabilities and labels for a dataset's rows (or rows=[[…]]).",
                    examples: ["predict wce cards.test", "predict wce rows=[[0.1,0.2,0.3]]",
                               "predict m rows=[{\"amount\":3,\"country\":\"AT\"}] unseen_levels=zeros"]),
        CommandSpec(name: "save", method: ModelSave.method,
                    positionals: [Positional(metavar: "MODEL", target: ["model"], kind: .text, names: .model),
                                  Positional(metavar: "PATH", target: ["path"], kind: .path, names: .file)],
                    summary: "Write a model to a JSON file.",
                    examples: ["save wce wce.json"]),
        CommandSpec(name: "load-model", method: ModelLoad.method,
                    positionals: [Positional(metavar: "PATH", target: ["path"], kind: .path, names: .file)],
                    options: [OptionSpec(key: "dataset", target: ["dataset"], kind: .text, names: .dataset, help: "dataset: check the features match")],
                    asTarget: ["name"],
                    summary: "Read a model written by save.",
                    examples: ["load-model wce.json as wce2"]),
        CommandSpec(name: "datasets", method: DatasetList.method, summary: "The datasets the daemon holds.", examples: ["datasets"]),
        CommandSpec(name: "models", method: ModelList.method, summary: "The models the daemon holds.", examples: ["models"]),
        CommandSpec(name: "describe", method: DatasetDescribe.method,
                    positionals: [Positional(metavar: "DATASET", target: ["dataset"], kind: .text, names: .dataset)],
                    summary: "A dataset's summary and per-feature statistics.", examples: ["describe cards"]),
        CommandSpec(name: "head", method: DatasetHead.method,
                    positionals: [Positional(metavar: "DATASET", target: ["dataset"], kind: .text, names: .dataset)],
                    options: [
                        OptionSpec(key: "rows", target: ["rows"], kind: .integer, help: "rows: how many (default \(DatasetHead.defaultRows), at most \(DatasetHead.maxRows))"),
                        OptionSpec(key: "offset", target: ["offset"], kind: .integer, help: "offset: the first row's number, from 0 (default 0)"),
                    ],
                    summary: "A dataset's rows as stored: one column per source column (a text column as its level), then the label.",
                    examples: ["head cards.test rows=5", "head cards offset=1000"],
                    notes: "Columns that do not fit the terminal are left out (--json prints every value)."),
        CommandSpec(name: "describe-model", method: ModelDescribe.method,
                    positionals: [Positional(metavar: "MODEL", target: ["model"], kind: .text, names: .model)],
                    summary: "A model's summary, parameters and training configuration.", examples: ["describe-model wce"]),
        CommandSpec(name: "drop", method: DatasetDrop.method,
                    positionals: [Positional(metavar: "DATASET", target: ["dataset"], kind: .text, names: .dataset)],
                    summary: "Forget a dataset.", examples: ["drop cards.smote"]),
        CommandSpec(name: "drop-model", method: ModelDrop.method,
                    positionals: [Positional(metavar: "MODEL", target: ["model"], kind: .text, names: .model)],
                    summary: "Forget a model.", examples: ["drop-model net"]),
        CommandSpec(name: "compare", method: ExperimentCompare.method,
                    positionals: [Positional(metavar: "TRAIN", target: ["train"], kind: .text, names: .dataset)],
                    options: [
                        OptionSpec(key: "test", target: ["test"], kind: .text, names: .dataset, help: "test: where the arms are scored"),
                        OptionSpec(key: "val", target: ["validation"], kind: .text, names: .dataset, help: "validation: needed by the ce_best_f1 arm"),
                        OptionSpec(key: "arms", target: ["arms"], kind: .words, names: .choice(v.arms), help: "arms: a,b,… of \(v.arms.joined(separator: ", "))"),
                    ] + modelOptions,
                    summary: "The seed's experiment: one model per arm (CE, WCE, focal, resampling, moved threshold), one table.",
                    examples: ["compare cards.train test=cards.test val=cards.validation", "compare cards.train test=cards.test arms=ce,wce_inverse"],
                    finish: { inferOptimizer(&$0) }),
        CommandSpec(name: "sweep", method: ExperimentSweep.method,
                    positionals: [Positional(metavar: "DATASET", target: ["dataset"], kind: .text, names: .dataset)],
                    options: [
                        OptionSpec(key: "param", target: ["param"], kind: .text, names: .choice(v.sweepParams), help: "param: \(spoken(v.sweepParams))"),
                        OptionSpec(key: "grid", target: ["grid"], kind: .grid, help: "grid: from:to:count (evenly spaced, ends included) or a,b,…"),
                        OptionSpec(key: "folds", target: ["folds"], kind: .integer, help: "folds (default 5)"),
                        OptionSpec(key: "metric", target: ["metric"], kind: .text, names: .choice(v.metrics), help: "metric (default f1): \(spoken(v.metrics)); loss is shown negated, so higher is better"),
                        OptionSpec(key: "engine", target: ["engine"], kind: .text, names: .choice(v.engines), help: "engine: \(spoken(v.engines)) (spark: each fold's logistic or softmax fit on Spark, param w or beta; Spark deals its own folds, so scores differ from a local sweep's by which rows each fold holds)"),
                        OptionSpec(key: "source", target: ["source", "path"], kind: .path, names: .file, help: "source.path: the file Spark reads (default: the CSV the dataset was loaded from)"),
                    ] + modelOptions,
                    summary: "Cross-validated search of one loss parameter (the seed's weight w, by k-fold).",
                    examples: ["sweep cards.train param=w grid=0.5:0.99:10", "sweep cards.train param=w grid=0.5,0.7,0.9 folds=3",
                               "sweep cards param=w grid=0.5,0.8 folds=3 engine=spark"],
                    finish: { inferOptimizer(&$0) }),
        tuneCommand(v),
        ] + runCommands(v) + [
        CommandSpec(name: "events", method: RunEvents.method,
                    positionals: [Positional(metavar: "RUN", target: ["run"], kind: .text, names: .run)],
                    options: [OptionSpec(key: "since", target: ["since_seq"], kind: .integer, help: "since_seq")],
                    summary: "The records of a run (training or experiment).", examples: ["events r1"]),
        CommandSpec(name: "cancel", method: RunCancel.method, control: true,
                    positionals: [Positional(metavar: "RUN|MODEL", target: ["run"], kind: .text, names: .run)],
                    summary: "Cancel a run started elsewhere: r<N> is a run id, another word the model name it will make.",
                    examples: ["cancel r4", "cancel net"],
                    notes: "A training started in this REPL is cancelled with Ctrl-C.",
                    finish: { params in
                        if let run = params["run"]?.stringValue, !Grammar.isRunID(run) {
                            params["run"] = nil
                            params["name"] = .string(run)
                        }
                        return []
                    }),
        CommandSpec(name: "status", method: Status.method, control: true, summary: "What the daemon is doing (control socket).", examples: ["status"]),
        CommandSpec(name: "ping", method: Ping.method, summary: "Is the daemon there?", examples: ["ping"]),
        CommandSpec(name: "call", method: nil,
                    positionals: [Positional(metavar: "METHOD", target: [], kind: .text, names: .method),
                                  Positional(metavar: "JSON", target: [], kind: .json, optional: true)],
                    summary: "Send any method with params written as a JSON object; prints the result as JSON.",
                    examples: ["call dataset/describe {\"dataset\": \"cards\"}", "call status"],
                    notes: "status and run/cancel go to the control socket."),
        CommandSpec(name: "plot", method: nil,
                    positionals: [Positional(metavar: "MODEL", target: [], kind: .text, names: .model),
                                  Positional(metavar: "DATASET", target: [], kind: .text, names: .dataset, optional: true)],
                    options: [OptionSpec(key: "run", target: [], kind: .text, names: .run, help: "run: the training run (default: the one that made MODEL in this session)")],
                    summary: "Terminal charts: MODEL's training loss (run/events) and its PR curve on DATASET (model/evaluate).",
                    examples: ["plot wce cards.test"],
                    notes: "DATASET defaults to <training set's prefix>.test when that exists."),
        CommandSpec(name: "vs-seed", method: nil,
                    summary: "The last compare's CE and WCE rows beside the seed paper's reported figures, and what differs.",
                    examples: ["vs-seed"]),
        CommandSpec(name: "echo", method: nil,
                    positionals: [Positional(metavar: "TEXT…", target: [], kind: .text, optional: true)],
                    summary: "Print a line (for scripts).", examples: ["echo \"-- the seed's experiment\""]),
        CommandSpec(name: "help", method: nil,
                    positionals: [Positional(metavar: "COMMAND", target: [], kind: .text, names: .command, optional: true, variadic: true)],
                    summary: "This list, or one command's mapping onto its method.", examples: ["help", "help train"]),
        CommandSpec(name: "exit", method: nil, summary: "Leave (Ctrl-D too). `quit` works as well.", examples: ["exit"]),
        ]
    }
}
