import BallastProtocol
import Testing
@testable import BallastCLI

/// `runs` and its subcommands: how statements become run/list, run/describe, run/compare and
/// run/delete requests, and what completion offers for them.
@Suite struct RunsGrammarTests: GrammarSuite {
    @Test func runsTakesFiltersSortAndPageAsRunListParams() throws {
        let runs = try parse("runs dataset=cards.train status=completed loss=wce model_type=mlp sort=validation.f1 order=asc limit=20 offset=40")
        #expect(runs.spec.name == "runs")
        #expect(runs.spec.method == RunList.method)
        #expect(runs.params == ["dataset": "cards.train", "status": "completed", "loss": "wce", "model_type": "mlp",
                                "sort_by": "validation.f1", "order": "asc", "limit": 20, "offset": 40])
        let bare = try parse("runs")
        #expect(bare.params == [:])
    }

    @Test func theDecodedParamsAreRunListsOwn() throws {
        let runs = try parse("runs model=wce method=model/train since=2026-11-30T08:00:00Z until=2026-12-01 sort=seconds")
        let decoded = try JSONValue.object(runs.params).decode(as: RunList.Params.self)
        #expect(decoded == RunList.Params(model: "wce", method: "model/train", since: "2026-11-30T08:00:00Z",
                                          until: "2026-12-01", sortBy: "seconds"))
    }

    @Test func theMetricColumnsOptionStaysInTheClient() throws {
        let runs = try parse("runs metrics=validation.f1,train.recall")
        #expect(runs.params == ["@metrics": "validation.f1,train.recall"])
    }

    @Test func subcommandsAreNamedByTwoWords() throws {
        let show = try parse("runs show r3")
        #expect(show.spec.name == "runs show")
        #expect(show.spec.method == RunDescribe.method)
        #expect(show.params == ["run": "r3"])

        let compare = try parse("runs compare r3 r5 r7 metrics=validation.f1,validation.recall params=loss.type")
        #expect(compare.spec.method == RunCompare.method)
        #expect(compare.params == ["runs": ["r3", "r5", "r7"], "metrics": ["validation.f1", "validation.recall"],
                                   "params": ["loss.type"]])
        #expect(try JSONValue.object(compare.params).decode(as: RunCompare.Params.self)
                == RunCompare.Params(runs: ["r3", "r5", "r7"], metrics: ["validation.f1", "validation.recall"], params: ["loss.type"]))

        let delete = try parse("runs delete r3 r4")
        #expect(delete.spec.method == RunDelete.method)
        #expect(delete.params == ["runs": ["r3", "r4"]])

        let next = try parse("runs next")
        #expect(next.spec.name == "runs next")
        #expect(next.params == [:])
    }

    @Test func aMistypedSubcommandIsNamedWithTheRealOnes() {
        let message = usageError("runs compre r3 r4")
        #expect(message == "'runs' has no subcommand 'compre'. Did you mean 'runs compare'? It has 'runs next', 'runs show', "
            + "'runs compare' or 'runs delete'; 'help runs' shows its options.")
    }

    @Test func aSubcommandThatNeedsRunsSaysSo() {
        #expect(usageError("runs compare metrics=f1")
                == "'runs compare' takes 1 or more arguments before its options, got 0. Usage: runs compare RUN… [key=value…]")
        #expect(usageError("runs show r1 r2")
                == "'runs show' takes 1 argument before its options, got 2. Usage: runs show RUN")
        #expect(usageError("runs sort_by=validation.f1")?.hasPrefix("'runs' has no option 'sort_by'.") == true)
    }

    @Test func helpNamesASubcommandByItsTwoWords() throws {
        let help = try parse("help runs compare")
        #expect(help.words == ["runs", "compare"])
        let text = grammar.help("runs compare")
        #expect(text.hasPrefix("runs compare RUN… [key=value…]\n"))
        #expect(text.contains("method: run/compare"))
        #expect(text.contains("metrics=<a,b,…>"))
        let runs = grammar.help("runs")
        #expect(runs.contains("sort=<word>") && runs.contains("→ sort_by"))
        #expect(runs.contains("runs next, runs show RUN, runs compare RUN…, runs delete RUN…"))
        let list = grammar.help(nil)
        #expect(list.contains("\n  runs compare   "))
    }

    /// The daemon's names, as a session would fetch them.
    func names(_ kind: NameKind) -> [String] {
        switch kind {
        case .run: ["r1", "r2"]
        case .runMetric: ["train.f1", "validation.f1"]
        case .runSortKey: ["started", "ended", "seconds", "train.f1", "validation.f1"]
        case .dataset: ["cards.train"]
        default: []
        }
    }

    func complete(_ line: String) -> [String]? {
        Completion.candidates(line: line, word: "", grammar: grammar, names: names)
    }

    @Test func completionOffersSubcommandsRunsAndOptionValues() throws {
        let afterRuns = try #require(complete("runs "))
        #expect(afterRuns.starts(with: ["next", "show", "compare", "delete"]))
        #expect(afterRuns.contains("sort=") && afterRuns.contains("status="))
        #expect(complete("runs show ") == ["r1", "r2"])
        let afterTwo = try #require(complete("runs compare r1 r2 "))
        #expect(afterTwo.starts(with: ["r1", "r2"]), "a variadic positional takes more runs")
        #expect(afterTwo.contains("metrics=") && afterTwo.contains("params="))
        #expect(complete("runs status=") == RunStatusName.names)
        #expect(complete("runs order=") == ["asc", "desc"])
        #expect(complete("runs sort=") == ["started", "ended", "seconds", "train.f1", "validation.f1"])
        #expect(complete("runs compare r1 metrics=") == ["train.f1", "validation.f1"])
        #expect(complete("help runs ") == ["next", "show", "compare", "delete"])
        #expect(try #require(complete("runs next ")).isEmpty)
    }

    @Test func runsNextWithoutAListingSaysWhatToTypeFirst() {
        let output = CapturedOutput()
        #expect(Runner.script("runs next", source: "n.bal", session: .captured(output)) == ExitStatus.usage)
        #expect(output.errors == ["n.bal:1: error: There is no listing to go on with: 'runs' (with any filters) shows the first page."])
    }
}
