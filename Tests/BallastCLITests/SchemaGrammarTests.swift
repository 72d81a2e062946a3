import BallastProtocol
import Testing
@testable import BallastCLI

/// The REPL's words for issue 9: `head`, loading a held-out file with the training schema,
/// `unseen_levels=`, and the note an implied optimizer prints.
@Suite struct SchemaGrammarTests: GrammarSuite {
    @Test func headTakesADatasetRowsAndOffset() throws {
        let head = try parse("head cards.test rows=5 offset=20")
        #expect(head.spec.method == DatasetHead.method)
        #expect(head.params == ["dataset": "cards.test", "rows": 5, "offset": 20])
        #expect(try parse("head cards").params == ["dataset": "cards"])
    }

    @Test func loadTakesASchemaAndWhatUnseenLevelsBecome() throws {
        let load = try parse("load test.csv schema=cards.train unseen_levels=zeros as test")
        #expect(load.params == ["path": "/home/user/work/test.csv", "schema": "cards.train", "unseen_levels": "zeros", "name": "test"])
    }

    @Test func loadSetsColumnsAsideByNameOrIndex() throws {
        let load = try parse("load txns.csv label=fraud id=txn ignore=note,comment as txns")
        #expect(load.params == ["path": "/home/user/work/txns.csv", "label": "fraud", "id": "txn", "ignore": ["note", "comment"],
                                "name": "txns"])
        #expect(try parse("load txns.csv id=0 columns=amount").params == ["path": "/home/user/work/txns.csv", "id": 0, "columns": ["amount"]])
    }

    @Test func evaluateAndPredictTakeUnseenLevels() throws {
        let evaluate = try parse("evaluate m test unseen_levels=zeros")
        #expect(evaluate.params == ["model": "m", "dataset": "test", "unseen_levels": "zeros"])
        let predict = try parse(#"predict m rows=[{"amount":3,"country":"AT"}] unseen_levels=error"#)
        #expect(predict.params == ["model": "m", "rows": [["amount": 3, "country": "AT"]], "unseen_levels": "error"])
    }

    @Test func anOptimizerImpliedAgainstTheModelsDefaultIsNoted() throws {
        let logistic = try parse("train cards.train epochs=10")
        #expect(logistic.params["optimizer"] == ["type": "adam", "epochs": 10])
        #expect(logistic.notes == ["optimizer: adam (implied by epochs=; without it lbfgs, the default for a linear model)"])
        let both = try parse("train cards.train lr=0.01 epochs=3 model=softmax")
        #expect(both.notes == ["optimizer: adam (implied by lr=, epochs=; without it lbfgs, the default for a linear model)"])
        let mlp = try parse("train cards.train model=mlp max_iter=50")
        #expect(mlp.notes == ["optimizer: lbfgs (implied by max_iter=; without it adam, the mlp's default)"])
        let compare = try parse("compare cards.train test=cards.test momentum=0.9")
        #expect(compare.notes == ["optimizer: sgd (implied by momentum=; without it lbfgs, the default for a linear model)"])
    }

    @Test func anOptimizerTheModelWouldHaveHadAnywayOrOneGivenIsNotNoted() throws {
        // The seed's network: Adam is the mlp's default, so epochs= changes nothing.
        #expect(try parse("train cards.train model=mlp hidden=16 epochs=12 w=0.7 as net").notes == [])
        #expect(try parse("train cards.train max_iter=50").notes == [])
        #expect(try parse("train cards.train optimizer=adam epochs=10").notes == [])
        #expect(try parse("train cards.train loss=ce").notes == [])
    }
}
