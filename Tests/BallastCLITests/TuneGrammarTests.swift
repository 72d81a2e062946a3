import BallastProtocol
import Testing
@testable import BallastCLI

/// `tune`: its options onto `experiment/tune`'s params, the objectives their parameters imply,
/// the contradictions refused before anything is sent, help and completion.
@Suite struct TuneGrammarTests: GrammarSuite {
    @Test func aBareTuneSendsTheDatasetAndTheName() throws {
        let invocation = try parse("tune cards.train as best")
        #expect(invocation.spec.method == ExperimentTune.method)
        #expect(invocation.params == ["dataset": "cards.train", "name": "best"])
        #expect(invocation.notes.isEmpty)
    }

    @Test func everyOptionReachesItsParam() throws {
        let invocation = try parse("tune cards.train objective=mcc calibrate=platt folds=3 repeats=2 estimate=holdout holdout=0.25 "
                                   + "candidates=ce,wce_balanced,smote mlp=true w=0.8,0.9 gamma=1:2:2 keep=false seed=4 l2=0.01")
        #expect(invocation.params == [
            "dataset": "cards.train", "objective": "mcc", "calibrate": "platt", "folds": 3, "repeats": 2, "estimate": "holdout",
            "holdout": 0.25, "candidates": ["ce", "wce_balanced", "smote"], "include_mlp": true,
            "grid": ["w": [0.8, 0.9], "gamma": [1.0, 2.0]], "keep": false, "seed": 4, "l2": 0.01,
        ])
    }

    @Test func anObjectivesParametersImplyIt() throws {
        #expect(try parse("tune d beta=2").params["objective"] == ["type": "fbeta", "beta": 2.0])
        #expect(try parse("tune d objective=fbeta beta=0.5").params["objective"] == ["type": "fbeta", "beta": 0.5])
        #expect(try parse("tune d min_precision=0.9").params["objective"] == ["type": "recall_at_precision", "precision": 0.9])
        #expect(try parse("tune d min_recall=0.8").params["objective"] == ["type": "precision_at_recall", "recall": 0.8])
        #expect(try parse("tune d fp=1 fn=20").params["objective"] == ["type": "cost", "fp": 1.0, "fn": 20.0])
        #expect(try parse("tune d cost=[[0,1],[20,0]]").params["objective"] == ["type": "cost", "matrix": [[0, 1], [20, 0]]])
        // Without parameters the objective goes as its name.
        #expect(try parse("tune d objective=balanced_accuracy").params["objective"] == "balanced_accuracy")
    }

    @Test func parametersOfAnotherObjectiveAreRefused() {
        #expect(usageError("tune d objective=f1 beta=2") == "beta= goes with objective=fbeta, not objective=f1.")
        #expect(usageError("tune d objective=mcc fp=1 fn=5") == "fp= or fn= go with objective=cost, not objective=mcc.")
        #expect(usageError("tune d beta=2 min_precision=0.9")
                == "beta= or min_precision= belong to different objectives (fbeta or recall_at_precision): tune for one.")
    }

    @Test func outerFoldsImplyANestedEstimateAndHoldoutOnlyGoesWithAHoldout() throws {
        let nested = try parse("tune d outer_folds=4")
        #expect(nested.params["estimate"] == "nested" && nested.params["outer_folds"] == 4)
        #expect(nested.notes == ["estimate: nested (implied by outer_folds=)"])
        #expect(try parse("tune d estimate=nested outer_folds=2").notes.isEmpty)
        #expect(usageError("tune d estimate=holdout outer_folds=2") == "outer_folds= goes with estimate=nested, not estimate=holdout.")
        #expect(usageError("tune d estimate=nested holdout=0.3")
                == "holdout= is the fraction held out for estimate=holdout, not for estimate=nested.")
        let held = try parse("tune d holdout=0.3")
        #expect(held.params["estimate"] == "holdout" && held.notes == ["estimate: holdout (implied by holdout=)"])
    }

    @Test func theOptimizerIsImpliedAsForTrain() throws {
        let invocation = try parse("tune d epochs=5")
        #expect(invocation.params["optimizer"] == ["type": "adam", "epochs": 5])
        #expect(invocation.notes.count == 1 && invocation.notes[0].hasPrefix("optimizer: adam (implied by epochs="))
    }

    @Test func aCandidateListMayBeJSON() throws {
        let invocation = try parse(#"tune d candidates=[{"name":"w8","loss":{"type":"wce","weights":{"scheme":"binary","w":0.8}}},"ce"]"#)
        #expect(invocation.params["candidates"] == [["name": "w8", "loss": ["type": "wce", "weights": ["scheme": "binary", "w": 0.8]]], "ce"])
    }

    @Test func helpMapsEveryOptionAndSaysTheScoresFlatterTheWinner() {
        let help = grammar.help("tune")
        #expect(help.hasPrefix("tune DATASET [key=value…] [as NAME]\n"))
        #expect(help.contains("method: experiment/tune"))
        for key in ["objective", "beta", "min_precision", "min_recall", "fp", "fn", "cost", "calibrate", "folds", "repeats",
                    "estimate", "holdout", "outer_folds", "candidates", "mlp", "w", "gamma", "keep", "model", "seed"] {
            #expect(help.contains("\n    \(key)=<"), "help tune has no line for \(key)=")
        }
        #expect(help.contains("→ objective.precision: the precision floor"))
        #expect(help.contains("flatter it"))
        #expect(grammar.help(nil).contains("\n  tune  "))
    }

    @Test func completionOffersCandidatesOneListItemAtATime() {
        let names: (NameKind) -> [String] = { _ in [] }
        let first = Completion.candidates(line: "tune d candidates=", word: "", grammar: grammar, names: names) ?? []
        #expect(first.contains("wce_w0.9") && first.contains("smote") && first.contains("mlp"))
        let next = Completion.candidates(line: "tune d candidates=", word: "ce,wce_w0.9,s", grammar: grammar, names: names) ?? []
        #expect(next.contains("ce,wce_w0.9,smote"))
        #expect(!next.contains("ce,wce_w0.9,ce") && !next.contains("ce,wce_w0.9,wce_w0.9"))
        #expect(Completion.candidates(line: "tune d objective=", word: "", grammar: grammar, names: names) == ObjectiveName.names)
        #expect(Completion.candidates(line: "tune d calibrate=", word: "", grammar: grammar, names: names) == CalibrationName.names)
        #expect(Completion.candidates(line: "tune d estimate=", word: "", grammar: grammar, names: names) == EstimateName.names)
        let options = Completion.candidates(line: "tune d ", word: "", grammar: grammar, names: names) ?? []
        #expect(options.contains("min_precision=") && options.contains("as"))
    }
}
