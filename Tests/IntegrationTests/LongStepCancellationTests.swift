import BallastClient
import BallastProtocol
import Foundation
import XCTest

/// Cancellation reaches inside one long step, not only the gaps between steps.
final class LongStepCancellationTests: XCTestCase {
    /// Two epochs of one mini-batch holding every row, on a 256×256 network: each step is one long
    /// pass. The cancel is sent when step 1 is reported, so it arrives just after the check that
    /// precedes step 2; only a check inside the pass can stop step 2 (which would otherwise finish
    /// the training and store its model).
    func testAWideNetworkIsCancelledInsideItsLastLongStepAndAnswered() throws {
        let daemon = try TestDaemon()
        let client = try daemon.client()
        _ = try client.call("dataset/generate", params: ["preset": "fraud", "name": "wide", "rows": 10_000, "seed": 1])
        let (cancelSent, failure) = client.callCancellingAtFirstProgress("model/train", [
            "dataset": "wide", "name": "wide", "progress_token": "wide", "model": ["type": "mlp", "hidden": [256, 256]],
            "optimizer": ["type": "adam", "epochs": 2, "batch_size": 10_000],
        ], timeout: 300)
        XCTAssertTrue(cancelSent, "step 1 was reported")
        let answer = try XCTUnwrap(failure, "the training was cancelled, not finished")
        XCTAssertEqual(answer.code, ErrorCode.requestCancelled)
        XCTAssertEqual(answer.data?["steps"], 1, "cancelled inside its second step")
        XCTAssertEqual(try client.call("model/list")["models"], [], "a cancelled training stores no model")
    }
}
