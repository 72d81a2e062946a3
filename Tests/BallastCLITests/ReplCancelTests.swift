import BallastProtocol
import BallastTransport
import Testing
@testable import BallastCLI

/// A `repl/execute` cancel that falls between two requests of one command (or before the first)
/// is kept for the next request, which then does not start; the terminal's claim never keeps one.
@Suite struct ReplCancelTests {
    let target = RequestCanceller.Target(info: ConnectionInfo(requestPort: 1, controlPort: 2), session: "s1", id: .number(7))

    @Test func aCancelWithNothingRunningIsKeptForTheNextRequestOnce() {
        let canceller = RequestCanceller()
        #expect(canceller.claimOrArm() == nil)
        let keptThrough = canceller.running(target) { canceller.takeArmed() }
        #expect(keptThrough, "running a request keeps the armed cancel for it to see")
        #expect(!canceller.takeArmed(), "taken once")
    }

    @Test func aRunningRequestIsClaimedNotArmed() {
        let canceller = RequestCanceller()
        let claimed = canceller.running(target) { canceller.claimOrArm() }
        #expect(claimed == target)
        #expect(!canceller.takeArmed())
    }

    @Test func disarmAndClaimLeaveNothingKept() {
        let canceller = RequestCanceller()
        _ = canceller.claimOrArm()
        canceller.disarm()
        #expect(!canceller.takeArmed())
        _ = canceller.claim()
        #expect(!canceller.takeArmed(), "Ctrl-C at an idle prompt cancels nothing later")
    }
}
