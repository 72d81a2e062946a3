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

/// A cancel kept from between two requests stops the next one before it is sent: the bridge's
/// own -32800 with `kind: "interrupted"` (protocol/README.md section 11), not a daemon's reply.
@Suite struct ReplArmedCancelTests {
    @Test func theRequestAKeptCancelStopsIsInterruptedWithItsKind() throws {
        try withLiveSession { session, _, _ in
            try session.connect()
            #expect(session.canceller.claimOrArm() == nil, "nothing runs: kept")
            var failure: Failure?
            do throws(Failure) { _ = try session.request(DatasetList.method, [:]) } catch { failure = error }
            let caught = try #require(failure)
            guard case .interrupted = caught else {
                Issue.record("expected interrupted, got \(caught)")
                return
            }
            let json = ReplErrors.json(caught, line: 2)
            #expect(json["code"] == .int(Int64(ErrorCode.requestCancelled)))
            #expect(json["data"] == ["kind": "interrupted", "line": 2])
            #expect(throws: Never.self) { _ = try session.request(DatasetList.method, [:]) }
        }
    }

    @Test func nonObjectParamsAreRefusedAsTheDaemonRefusesThem() {
        for params: JSONValue in [[1], "x"] {
            do {
                _ = try ReplExecuteParams(params)
                Issue.record("accepted \(params)")
            } catch {
                #expect(error.code == ErrorCode.invalidRequest)
                #expect(error.data == ["field": "params"])
            }
        }
    }
}
