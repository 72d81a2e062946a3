import BallastProtocol
import BallastTransport
import Testing
@testable import BallastCLI

@Suite struct RequestCancellerTests {
    let target = RequestCanceller.Target(
        info: ConnectionInfo(requestPort: 1, controlPort: 2),
        session: "s1", id: .number(7))

    @Test func nothingToCancelWhenNoRequestRuns() {
        let canceller = RequestCanceller()
        #expect(canceller.claim() == nil)
        #expect(!canceller.cancelWasSent)
    }

    @Test func theRunningRequestIsHandedOutAndRemembered() {
        let canceller = RequestCanceller()
        let claimed = canceller.running(target) { canceller.claim() }
        #expect(claimed == target)
        #expect(canceller.cancelWasSent)
        #expect(canceller.claim() == nil, "the request has ended")
    }

    @Test func aNewRequestStartsUncancelled() {
        let canceller = RequestCanceller()
        _ = canceller.running(target) { canceller.claim() }
        canceller.running(target) { }
        #expect(!canceller.cancelWasSent)
    }

    @Test func aSecondClaimAsksToStopWaiting() {
        let canceller = RequestCanceller()
        let (afterOne, afterTwo) = canceller.running(target) { () -> (Bool, Bool) in
            _ = canceller.claim()
            let one = canceller.stopWaiting
            _ = canceller.claim()
            return (one, canceller.stopWaiting)
        }
        #expect(!afterOne, "one Ctrl-C cancels and waits for the daemon to say so")
        #expect(afterTwo, "a second one stops waiting")
        #expect(!canceller.stopWaiting, "nothing runs any more")
    }
}
