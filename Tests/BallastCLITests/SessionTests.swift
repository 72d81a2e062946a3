import BallastProtocol
import Testing
@testable import BallastCLI

/// The session's local commands and its error reports, which need no daemon.
@Suite struct SessionTests {
    @Test func aScriptRunsUntilItsFirstErrorAndReportsItsLine() {
        let output = CapturedOutput()
        let status = Runner.script("echo one\n# a comment\necho two; trian x\necho three", source: "demo.bal", session: .captured(output))
        #expect(status == 2)
        #expect(output.text == "one\ntwo\n")
        #expect(output.errors == ["demo.bal:3: error: Unknown command 'trian'. Did you mean 'train'? Type 'help' for the list."])
    }

    @Test func keepGoingRunsTheRestAndKeepsTheFirstStatus() {
        let output = CapturedOutput()
        let status = Runner.script("split cards tset=0.3\necho after", source: "s.bal", session: .captured(output, keepGoing: true))
        #expect(status == 2)
        #expect(output.text == "after\n")
        #expect(output.errors.count == 1)
        #expect(output.errors[0].hasPrefix("s.bal:1: error: 'split' has no option 'tset'. Did you mean 'test'?"))
    }

    @Test func anUnclosedQuoteFailsTheScriptAtItsLine() {
        let output = CapturedOutput()
        #expect(Runner.script("echo fine\necho \"oops", source: "q.bal", session: .captured(output)) == 2)
        #expect(output.text == "")
        #expect(output.errors == ["q.bal:2: error: The quote \" opened here is never closed."])
    }

    @Test func jsonModeReportsAnErrorAsAnObject() throws {
        let output = CapturedOutput()
        #expect(Runner.script("echo hi\nvs-seed", source: "j.bal", session: .captured(output, json: true)) == 2)
        let lines = output.text.split(separator: "\n").map { try? JSONParser.parse(String($0)) }
        #expect(lines.count == 2)
        #expect(lines[0] == ["text": "hi"])
        #expect(lines[1] == ["ok": false, "file": "j.bal", "line": 2,
                             "error": ["code": "usage", "message": "vs-seed needs a 'compare' earlier in this session."]])
    }

    @Test func exitEndsTheSessionAndTheLine() {
        let output = CapturedOutput()
        let session = Session.captured(output)
        #expect(Runner.interactive("echo a; exit; echo b", session: session) == false)
        #expect(Runner.interactive("echo c; nosuch; echo d", session: session) == true)
        #expect(output.text == "a\nc\n")
        #expect(output.errors == ["error: Unknown command 'nosuch'. Type 'help' for the list."])
    }

    @Test func helpForACommandShowsItsMethodAndParams() {
        let output = CapturedOutput()
        #expect(Runner.interactive("help train", session: .captured(output)))
        #expect(output.text.hasPrefix("train DATASET [key=value…] [as NAME]\n  Train a model; shows live progress."))
        #expect(output.text.contains("  method: model/train\n"))
        #expect(output.text.contains("weights=<word>    → loss.weights.scheme\n"))
        #expect(output.text.contains("stop_metric=<word> → early_stopping.metric\n"), "a word as wide as the column keeps a blank before →")
    }

    @Test func versusSeedSetsOurRowsBesideTheSeeds() throws {
        let output = CapturedOutput()
        let session = Session.captured(output)
        session.lastCompare = [
            "run": "r3",
            "rows": [
                ["arm": "ce", "recall": 0.55, "precision": 0.9, "f1": 0.6828, "threshold": 0.5],
                ["arm": "wce_inverse", "recall": 0.9, "precision": 0.1, "f1": 0.18, "threshold": 0.5],
            ],
        ]
        #expect(Runner.interactive("vs-seed", session: session))
        #expect(output.errors == [])
        let lines = output.text.split(separator: "\n").map(String.init)
        #expect(lines.count == 7)
        #expect(lines[2].hasPrefix("  CE             seed paper (reported)  0.5345     0.9034    0.6703      0.500"))
        #expect(lines[3].hasPrefix("  CE             ours (compare r3)      0.5500     0.9000    0.6828      0.500"))
        #expect(lines[6].hasPrefix("  Reading: CE agrees with the seed (F1 0.683 against 0.670); our WCE at threshold 0.5 trades most of the precision for recall"))
    }
}
