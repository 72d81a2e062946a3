import BallastClient
import BallastProtocol
import Foundation
import Testing
@testable import BallastCLI

/// `runs` and its subcommands against a real `ballastd` that keeps runs in its state directory.
@Suite struct LiveRunsSessionTests {
    static let trainings = """
    generate fraud rows=3000 seed=3 as cards
    split cards test=0.3 val=0.2 seed=0
    train cards.train val=cards.validation max_iter=30 as ce
    train cards.train val=cards.validation weights=inverse max_iter=30 as wce
    """

    @Test func runsListsPagesShowsComparesAndDeletesWhatTheDaemonKept() throws {
        try withLiveSession { session, output, _ in
            #expect(Runner.script(Self.trainings, source: "train.bal", session: session) == 0)
            let ce = try #require(session.modelRuns["ce"]), wce = try #require(session.modelRuns["wce"])
            output.text = ""

            #expect(Runner.script("runs", source: "l.bal", session: session) == 0)
            var lines = output.text.split(separator: "\n").map(String.init)
            #expect(lines.first?.split(separator: " ").prefix(7) == ["run", "method", "status", "started", "(UTC)", "model", "loss"])
            #expect(lines.contains { $0.hasPrefix("  \(wce) ") && $0.contains(" wce ") && $0.contains("cards.train, cards.validation") })
            #expect(lines.last == "  runs 1–2 of 2, newest first")
            #expect(lines.firstIndex { $0.hasPrefix("  \(wce) ") }! < lines.firstIndex { $0.hasPrefix("  \(ce) ") }!)

            output.text = ""
            #expect(Runner.script("runs sort=validation.recall limit=1; runs next; runs next", source: "p.bal", session: session) == 0)
            lines = output.text.split(separator: "\n").map(String.init)
            #expect(lines.contains("  runs 1–1 of 2, by validation.recall, highest first; 'runs next' shows the next page"))
            #expect(lines.contains("  runs 2–2 of 2, by validation.recall, highest first"))
            #expect(lines.last == "  no more runs: the last listing ended on its last page ('runs offset=0' starts again)")
            #expect(lines[0].contains("validation.recall"), "the sorted-by metric is the first metric column")

            output.text = ""
            #expect(Runner.script("runs show \(wce)", source: "s.bal", session: session) == 0)
            #expect(output.text.hasPrefix("  run \(wce): model/train, completed; started "), "\(output.text)")
            #expect(output.text.contains("  model: wce (logistic, loss wce)"))
            #expect(output.text.contains("\"weights\":{\"scheme\":\"inverse\"}"), "the params as sent")

            output.text = ""
            #expect(Runner.script("runs compare \(ce) \(wce) metrics=validation.recall,steps params=loss.type", source: "c.bal",
                                  session: session) == 0)
            lines = output.text.split(separator: "\n").map(String.init)
            let header = try #require(lines.first)
            #expect(header.split(separator: " ") == [Substring(ce), Substring(wce)])
            let recall = try #require(lines.first { $0.hasPrefix("  validation.recall") })
            #expect(recall.hasSuffix("*"), "the weighted loss finds more of the rare class: \(recall)")
            #expect(lines.contains { $0.hasPrefix("  loss.type") && $0.hasSuffix("wce") })
            #expect(lines.last?.hasPrefix("  * each metric's best") == true)

            output.text = ""
            #expect(Runner.script("runs delete \(ce); runs", source: "d.bal", session: session) == 0)
            #expect(output.text.hasPrefix("  deleted \(ce)\n"))
            #expect(output.text.hasSuffix("  runs 1–1 of 1, newest first\n"))
            #expect(output.errors == [])

            #expect(Completion.candidates(line: "runs show ", word: "", session: session)?.contains(wce) == true)
            #expect(Completion.candidates(line: "runs sort=", word: "", session: session)?.contains("validation.f1") == true)
        }
    }

    @Test func jsonModePrintsRunListsResultAndAnUnknownRunIsTheDaemonsError() throws {
        try withLiveSession(json: true) { session, output, _ in
            #expect(Runner.script(Self.trainings, source: "train.bal", session: session) == 0)
            output.text = ""
            #expect(Runner.script("runs limit=1", source: "j.bal", session: session) == 0)
            let page = try JSONParser.parse(output.text.trimmingCharacters(in: .newlines)).decode(as: RunList.Result.self)
            #expect(page.total == 2 && page.runs.count == 1 && page.nextOffset == 1)
            #expect(page.runs[0].model == "wce")

            output.text = ""
            #expect(Runner.script("runs show r999", source: "e.bal", session: session) == ExitStatus.daemonError)
            let failure = try JSONParser.parse(output.text.trimmingCharacters(in: .newlines))
            #expect(failure["error"]?["code"] == .int(Int64(ErrorCode.notFound)))
            #expect(failure["error"]?["data"]?["field"] == "run")
        }
    }
}
