import Foundation
import XCTest

/// The durability promise, tested the way it is broken: `ballastd` killed with SIGKILL at random
/// moments of trainings and experiments, restarted on the same state directory, and everything it
/// acknowledged looked for. `make test` runs 5 kills from a fixed seed; `make soak` runs 200 from a
/// new seed (BALLAST_KILL_ROUNDS, BALLAST_KILL_SEED, BALLAST_KILL_CLIENTS). A failure names the seed.
final class KillLoopTests: XCTestCase {
    func testAKillAtAnyMomentLosesNothingAcknowledgedAndLeavesNoRunRunning() throws {
        let environment = ProcessInfo.processInfo.environment
        var settings = KillLoop.Settings()
        settings.rounds = environment["BALLAST_KILL_ROUNDS"].flatMap { Int($0) } ?? 5
        settings.seed = environment["BALLAST_KILL_SEED"].flatMap { UInt64($0) } ?? 20_261_130
        settings.clients = environment["BALLAST_KILL_CLIENTS"].flatMap { Int($0) } ?? 3
        let loop = try KillLoop(settings: settings)
        do {
            try loop.run()
        } catch let failure as KillLoop.Failure {
            return XCTFail(failure.description)
        } catch {
            return XCTFail("\(error)\n\(loop.check.figures.summary)")
        }
        let figures = loop.check.figures
        print(figures.summary)
        XCTAssertEqual(figures.brokenPromises, 0, "\(figures.summary)\n" + figures.failures.joined(separator: "\n"))
        XCTAssertEqual(figures.kills, settings.rounds)
        // A loop whose kills never caught a run, or whose clients had nothing acknowledged, proves
        // nothing: the small form is sized to do both.
        XCTAssertGreaterThan(figures.acknowledgedRuns.count, 0, figures.summary)
        XCTAssertGreaterThan(figures.acknowledgedModels.count, 0, figures.summary)
        XCTAssertGreaterThan(figures.acknowledgedDatasets.count, 0, figures.summary)
        XCTAssertGreaterThan(figures.interrupted.count + figures.completedUnanswered.count, 0, figures.summary)
    }
}
