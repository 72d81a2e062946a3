import BallastClient
import BallastProtocol
import Foundation
import XCTest

/// Two long trainings on two workers do not keep a small one waiting until they end.
final class FairSchedulingTests: XCTestCase {
    func testASmallTrainingFinishesWhileTwoLongOnesRunAndAllStayCancellable() throws {
        let daemon = try TestDaemon { $0.jobWorkers = 2 }
        let client = try daemon.client()
        try client.prepareCards(rows: 20_000)
        for name in ["a", "b"] {
            try client.sendRaw(JSONWriter.data(Message.request(id: .string(name), method: "model/train", params: [
                "dataset": "cards.train", "name": .string(name), "model": ["type": "mlp", "hidden": [16]],
                "optimizer": ["type": "adam", "epochs": 100000],
            ]).json))
        }
        let control = try daemon.client(initialize: false)
        func longOnesRunning() throws -> Int {
            let inFlight = try control.control(Status.method)["in_flight"]?.arrayValue ?? []
            return inFlight.filter { $0["method"] == "model/train" && ($0["elapsed_s"]?.doubleValue ?? 0) > 0.3 }.count
        }
        let deadline = Date().addingTimeInterval(30)
        while try longOnesRunning() < 2 && Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        XCTAssertEqual(try longOnesRunning(), 2, "both long trainings hold the two workers")

        var progress = 0
        let small = try client.call("model/train", params: ["dataset": "cards.train", "name": "small", "progress_token": "small"],
                                    timeout: 120) { method, _ in if method == WorkProgress.method { progress += 1 } }
        XCTAssertEqual(small["model"], "small")
        XCTAssertGreaterThan(progress, 0, "the small training reported progress")
        XCTAssertEqual(try longOnesRunning(), 2, "it finished while both long ones still ran")

        for name in ["a", "b"] {
            XCTAssertEqual(try control.control("run/cancel", params: ["name": .string(name)])["cancelled"], true)
        }
        var codes: [String: Int64] = [:]
        while codes.count < 2, let message = try client.next(timeout: 60) {
            if let id = message["id"]?.stringValue { codes[id] = message["error"]?["code"]?.intValue }
        }
        XCTAssertEqual(codes, ["a": Int64(ErrorCode.requestCancelled), "b": Int64(ErrorCode.requestCancelled)])
    }
}
