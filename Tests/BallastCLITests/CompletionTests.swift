import BallastProtocol
import Testing
@testable import BallastCLI

@Suite struct CompletionTests {
    /// The daemon's names, as a session would fetch them.
    func names(_ kind: NameKind) -> [String] {
        switch kind {
        case .dataset: ["payments", "payments.train"]
        case .model: ["wce"]
        case .method: ["ping", "model/train"]
        default: []
        }
    }

    func complete(_ line: String, grammar: Grammar = .offline) -> [String]? {
        Completion.candidates(line: line, word: "", grammar: grammar, names: names)
    }

    @Test func anEmptyLineOffersEveryCommand() throws {
        let offered = try #require(complete(""))
        #expect(offered.contains("train") && offered.contains("vs-seed") && offered.contains("quit"))
        #expect(offered.count == Grammar.offline.commandWords.count + 1)
        #expect(!offered.contains { $0.contains(" ") }, "a subcommand is offered after its first word")
    }

    @Test func aPositionalOffersTheDaemonsNamesThenOptionsFollow() throws {
        #expect(complete("describe ") == ["payments", "payments.train"])
        let afterDataset = try #require(complete("split payments "))
        #expect(afterDataset.starts(with: ["test=", "val=", "seed=", "prefix="]))
        #expect(complete("evaluate ") == ["wce"])
    }

    @Test func anOptionAlreadyGivenIsNotOfferedAgain() throws {
        let offered = try #require(complete("split payments test=0.3 "))
        #expect(!offered.contains("test="))
        #expect(offered.contains("val="))
    }

    @Test func aMadeThingOffersAs() throws {
        #expect(try #require(complete("train payments.train ")).contains("as"))
        #expect(complete("train payments.train as ") == [])
    }

    @Test func aPathCompletesFileNames() {
        #expect(complete("load ") == nil)
    }

    @Test func aStatementAfterASemicolonCompletesOnItsOwn() throws {
        #expect(complete("datasets; describe ") == ["payments", "payments.train"])
        #expect(complete("load x.csv delimiter=; header=") == ["auto", "present", "absent"], "delimiter=; ends no statement")
    }

    @Test func optionValuesComeFromTheVocabularyTheGrammarWasBuiltWith() {
        var capabilities = Initialize.Capabilities(methods: ["ping"], controlMethods: ["status"], notifications: [])
        capabilities.metrics = ["f1", "a_metric_only_this_daemon_knows"]
        capabilities.losses = ["ce", "wce", "focal", "a_new_loss"]
        let grammar = Grammar(vocabulary: capabilities)
        #expect(complete("sweep payments.train metric=", grammar: grammar) == ["f1", "a_metric_only_this_daemon_knows"])
        #expect(complete("train payments.train stop_metric=", grammar: grammar) == ["f1", "a_metric_only_this_daemon_knows"])
        #expect(complete("train payments.train loss=", grammar: grammar) == ["ce", "wce", "focal", "a_new_loss"])
    }

    @Test func beforeConnectingTheChoicesAreTheProtocolsOwnLists() throws {
        #expect(complete("train payments.train stop_metric=") == MetricName.names)
        #expect(MetricName.names.contains("g_mean") && MetricName.names.contains("loss"))
        #expect(complete("train payments.train weights=") == WeightSchemeName.names)
        #expect(complete("compare payments.train arms=") == ArmName.names)
        #expect(try #require(complete("generate ")).starts(with: PresetName.names))
        #expect(complete("resample payments ") == ResampleMethodName.names)
    }

    @Test func helpTextNamesTheVocabulary() {
        var capabilities = Initialize.Capabilities(methods: [], controlMethods: [], notifications: [])
        capabilities.models = ["logistic", "forest"]
        let help = Grammar(vocabulary: capabilities).help("train")
        #expect(help.contains("model=<word>      → model.type: logistic or forest"))
    }
}
