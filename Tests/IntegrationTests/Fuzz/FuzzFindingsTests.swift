import BallastClient
import BallastProtocol
import Foundation
import XCTest

/// What the protocol fuzzer found, each kept as the smallest message that reproduces it.
final class FuzzFindingsTests: XCTestCase {
    /// Fuzz seed 20261130: `experiment/sweep` with `folds` of Int64.max overflowed multiplying the
    /// grid length by the folds for the run's total, and the trap ended the daemon.
    func testASweepWithFoldsPastAnyDatasetIsRefusedByName() throws {
        let daemon = try TestDaemon()
        let client = try daemon.client()
        _ = try client.call("dataset/generate", params: ["name": "toy", "rows": 200, "features": 2])
        for folds: JSONValue in [.int(Int64.max), .int(Int64.min), 1, 201] {
            let refused = client.rpcError("experiment/sweep", ["dataset": "toy", "param": "w", "grid": [1, 2], "folds": folds])
            XCTAssertEqual(refused?.code, ErrorCode.invalidParams, "folds \(folds): \(refused?.message ?? "ran")")
            XCTAssertEqual(refused?.data?["field"], "folds", "folds \(folds)")
        }
        XCTAssertEqual(try client.call(Ping.method)["pong"], true, "the daemon still serves")
    }
}
