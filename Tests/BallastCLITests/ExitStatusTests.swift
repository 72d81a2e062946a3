import Foundation
import Testing
import BallastCLI

/// The exit statuses are one table: `ExitStatus`, and README's table says the same numbers.
@Suite struct ExitStatusTests {
    @Test func readmesTableListsExactlyTheStatusesOfExitStatus() throws {
        let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("README.md")
        let text = try String(contentsOf: readme, encoding: .utf8)
        let start = try #require(text.range(of: "| exit status | meaning |"))
        let rows = text[start.upperBound...].split(separator: "\n").dropFirst().prefix { $0.hasPrefix("|") }
        let documented = rows.compactMap { row in Int32(row.split(separator: "|").first?.trimmingCharacters(in: .whitespaces) ?? "") }
        #expect(documented == ExitStatus.table.map(\.status))
    }

    @Test func failuresExitWithTheTablesStatuses() {
        #expect(Failure.usage("x").exitCode == ExitStatus.usage)
        #expect(Failure.unavailable("x").exitCode == ExitStatus.noDaemon)
        #expect(Failure.timedOut("x").exitCode == ExitStatus.timedOut)
        #expect(Failure.interrupted("x").exitCode == ExitStatus.interrupted)
        #expect(ExitStatus.of(.badArgument("x")) == ExitStatus.usage)
    }
}
