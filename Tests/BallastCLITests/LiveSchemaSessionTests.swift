import BallastClient
import BallastProtocol
import Foundation
import Testing
@testable import BallastCLI

/// Issue 9 in the REPL against a real `ballastd`: a held-out file loaded with the training schema,
/// an unseen level encoded as zeros, the daemon's `warnings` printed (and kept in `--json`), and
/// the note an implied optimizer prints.
@Suite struct LiveSchemaSessionTests {
    /// Runs `script` in a session of its own against a private daemon, with `train.csv` (countries
    /// DE, FR, NL) and `test.csv` (AT, DE, FR) in `$DIR`.
    func run(_ script: String, json: Bool = false) throws -> (status: Int32, output: CapturedOutput) {
        try withLiveSession(json: json) { session, output, folder in
            for (name, countries) in [("train.csv", ["DE", "FR", "NL"]), ("test.csv", ["AT", "DE", "FR"])] {
                var text = "amount,country,label\n"
                for row in 0..<30 { text += "\(Double(row % 10) + 0.5),\(countries[row % 3]),\(row % 10 > 6 ? 1 : 0)\n" }
                try Data(text.utf8).write(to: URL(fileURLWithPath: folder + "/" + name))
            }
            let status = Runner.script(script.replacingOccurrences(of: "$DIR", with: folder), source: "schema.bal", session: session)
            return (status, output)
        }
    }

    @Test func aHeldOutFileLoadsWithTheTrainingSchemaAndTheWarningIsPrinted() throws {
        let (status, output) = try run("""
        load $DIR/train.csv as train
        train train epochs=3 as m
        load $DIR/test.csv schema=train unseen_levels=zeros as test
        head test rows=3
        evaluate m test
        """)
        #expect(status == 0, "\(output.errors)")
        let lines = output.text.split(separator: "\n").map(String.init)
        #expect(lines.contains("  note: optimizer: adam (implied by epochs=; without it lbfgs, the default for a linear model)"))
        #expect(lines.contains { $0.hasPrefix("  warning: 10 rows of 'test'") && $0.contains("'AT' 10") }, "\(output.text)")
        // The AT rows are all zeros in country=DE/FR/NL, shown as unseen.
        #expect(lines.contains { $0.hasPrefix("    0") && $0.contains("(unseen)") }, "\(output.text)")
        #expect(lines.contains { $0.hasPrefix("    1") && $0.contains("DE") }, "\(output.text)")
    }

    @Test func jsonOutputKeepsTheWarningsInTheResultAndTheNoteAsAnObject() throws {
        let (status, output) = try run("""
        load $DIR/train.csv as train
        train train epochs=3 as m
        load $DIR/test.csv as test
        evaluate m test unseen_levels=zeros curves=false
        """, json: true)
        #expect(status == 0, "\(output.errors)")
        let objects = try output.text.split(separator: "\n").map { try JSONParser.parse(String($0)) }
        #expect(objects.contains { $0["note"]?.stringValue?.hasPrefix("optimizer: adam") == true })
        let evaluated = try #require(objects.last)
        let warnings = evaluated["warnings"]?.arrayValue?.compactMap(\.stringValue) ?? []
        #expect(warnings.contains { $0.contains("'AT' 10") }, "\(evaluated)")
        #expect(!output.text.contains("warning:"), "no text line in --json output")
    }
}
