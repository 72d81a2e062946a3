import BallastClient
import BallastProtocol
import Foundation
import Testing
@testable import BallastCLI

/// A session against a real `ballastd`, started by the session itself as the terminal client
/// starts it (the built daemon beside this test binary, or `$BALLASTD`), in a private folder.
@Suite struct LiveSessionTests {
    @Test func theSessionAdoptsTheVocabularyAndMethodsTheDaemonAdvertises() throws {
        try withLiveSession { session, output, _ in
            #expect(session.grammar.vocabulary.methods.isEmpty, "before connecting, the grammar knows no methods")
            try session.connect()
            #expect(session.grammar.vocabulary.methods.contains(ModelTrain.method))
            #expect(session.grammar.vocabulary.controlMethods.contains(RunCancel.method))
            #expect(Completion.candidates(line: "call ", word: "", session: session)?.contains(ExperimentCompare.method) == true)

            let script = """
            generate fraud rows=4000 seed=1 as cards
            split cards test=0.3 val=0.2 seed=0
            compare cards.train test=cards.test val=cards.validation arms=ce,wce_inverse
            """
            #expect(Runner.script(script, source: "live.bal", session: session) == 0)
            #expect(output.errors == [])
            let lines = output.text.split(separator: "\n").map(String.init)
            let header = try #require(lines.first { $0.contains("Loss Function") })
            #expect(header.split(separator: " ") == ["Loss", "Function", "Recall", "Precision", "F1-Score", "PR-AUC", "ROC-AUC", "MCC", "Threshold"])
            #expect(lines.contains { $0.hasPrefix("  WCE (inverse)") })
            #expect(Completion.candidates(line: "describe ", word: "", session: session)?.contains("cards.train") == true)
        }
    }

    @Test func aSemicolonFileLoadsWithAnUnquotedDelimiter() throws {
        try withLiveSession { session, output, folder in
            let path = folder + "/europe.csv"
            try Data("alter;wert;ergebnis\n30;1,5;ja\n40;2,5;nein\n45;2\n50;3,5;ja\n".utf8).write(to: URL(fileURLWithPath: path))
            try session.connect()
            #expect(Runner.script("load \(path) delimiter=; decimal=, on_bad_lines=skip as eu; describe eu", source: "eu.bal",
                                  session: session) == 0)
            #expect(output.errors == [])
            #expect(output.text.contains("1 bad line skipped (line 4)"), "\(output.text)")
            #expect(output.text.contains("wert"), "\(output.text)")
        }
    }
}
