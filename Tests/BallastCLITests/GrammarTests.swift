import BallastProtocol
import Testing
@testable import BallastCLI

@Suite struct GrammarTests: GrammarSuite {
    @Test func trainWithWeightsBecomesAWeightedCrossEntropyRequest() throws {
        let invocation = try parse("train cards.train weights=inverse as wce")
        #expect(invocation.spec.method == ModelTrain.method)
        #expect(invocation.params == [
            "dataset": "cards.train",
            "name": "wce",
            "loss": ["type": "wce", "weights": ["scheme": "inverse"]],
        ])
    }

    /// Every command that makes a dataset takes `keep=false`, for data that should not outlive the daemon.
    @Test func keepFalseReachesEveryDatasetMakingRequest() throws {
        for line in ["generate fraud keep=false as scratch", "load /data/cards.csv keep=false", "split cards test=0.3 keep=false",
                     "kfold cards folds=3 keep=false", "standardize cards keep=false", "resample cards over keep=false"] {
            #expect(try parse(line).params["keep"] == false, "\(line)")
        }
        #expect(try parse("generate fraud as cards").params["keep"] == nil)
    }

    @Test func optionsFillNestedTargetsAndImpliedTypes() throws {
        let w = try parse("train cards.train val=cards.validation w=0.7 epochs=12 hidden=16 model=mlp")
        #expect(w.params["validation"] == "cards.validation")
        #expect(w.params["loss"] == ["type": "wce", "weights": ["scheme": "binary", "w": 0.7]])
        #expect(w.params["optimizer"] == ["type": "adam", "epochs": 12])
        #expect(w.params["model"] == ["type": "mlp", "hidden": [16]])
        let beta = try parse("train cards.train beta=0.999 max_iter=50")
        #expect(beta.params["loss"] == ["type": "wce", "weights": ["scheme": "effective_number", "beta": 0.999]])
        #expect(beta.params["optimizer"] == ["type": "lbfgs", "max_iter": 50])
        let focal = try parse("train cards.train gamma=2 momentum=0.9")
        #expect(focal.params["loss"] == ["type": "focal", "gamma": 2.0])
        #expect(focal.params["optimizer"] == ["type": "sgd", "momentum": 0.9])
    }

    @Test func valuesAreReadByTheirKind() throws {
        let sweep = try parse("sweep cards.train param=w grid=0.5:0.9:3 folds=3")
        #expect(sweep.params["grid"] == [0.5, 0.7, 0.9])
        #expect(sweep.params["folds"] == 3)
        let compare = try parse("compare cards.train test=cards.test arms=ce,wce_inverse")
        #expect(compare.params["arms"] == ["ce", "wce_inverse"])
        let evaluate = try parse("evaluate wce cards.test threshold=0.25 curves=no")
        #expect(evaluate.params == ["model": "wce", "dataset": "cards.test", "threshold": 0.25, "curves": false])
        let predict = try parse("predict wce rows=[[0.1, 0.2]]")
        #expect(predict.params["rows"] == [[0.1, 0.2]])
    }

    @Test func pathsAreMadeAbsoluteAgainstTheClientsDirectory() throws {
        #expect(try parse("load data/cards.csv label=Class as cards").params
                == ["path": "/home/user/work/data/cards.csv", "label": "Class", "name": "cards"])
        #expect(try parse("save wce ../models/wce.json").params["path"] == "/home/user/models/wce.json")
    }

    @Test func cancelTakesARunIDOrTheNameOfWhatTheRunMakes() throws {
        #expect(try parse("cancel r12").params == ["run": "r12"])
        #expect(try parse("cancel net").params == ["name": "net"])
    }

    @Test func helpShowsEveryOptionWhole() {
        let text = grammar.help("train")
        #expect(text.contains("    threshold=<number|standard|best_f1> → "), "a long option is not cut: \(text)")
        #expect(text.contains("    batch_size=<integer> → optimizer.batch_size"))
        #expect(text.contains("    lr=<number>       → optimizer.lr"), "short ones keep their column")
    }

    @Test func anUnknownCommandSuggestsTheClosestOne() {
        #expect(usageError("trian cards.train") == "Unknown command 'trian'. Did you mean 'train'? Type 'help' for the list.")
    }

    @Test func anUnknownOptionSuggestsTheClosestAndListsTheRest() throws {
        let message = try #require(usageError("split cards tset=0.3"))
        #expect(message.hasPrefix("'split' has no option 'tset'. Did you mean 'test'? Options: test, val, seed, prefix, keep."))
    }

    @Test func aBadValueSaysWhatItExpects() {
        #expect(usageError("split cards test=lots") == "test= expects number, got 'lots'.")
        #expect(usageError("train cards.train epochs=1.5") == "epochs= expects integer, got '1.5'.")
    }

    @Test func positionalsAreCounted() {
        #expect(usageError("evaluate wce") == "'evaluate' takes 2 arguments before its options, got 1. Usage: evaluate MODEL DATASET [key=value…]")
        #expect(usageError("datasets cards") == "'datasets' takes 0 arguments before its options, got 1. Usage: datasets")
    }

    @Test func asGoesLastAndOnlyWhereSomethingIsMade() {
        #expect(usageError("split cards as parts") == "'split' makes nothing to name: drop 'as'.")
        #expect(usageError("train as wce cards.train") == "'as NAME' goes at the end of the command.")
    }

    @Test func quitIsExit() throws {
        #expect(try parse("quit").spec.name == "exit")
    }
}
