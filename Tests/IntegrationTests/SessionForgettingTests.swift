import BallastClient
import BallastProtocol
import BallastServer
import Foundation
import XCTest

/// Sessions of clients that disconnected are forgotten, but never before their work ends.
final class SessionForgettingTests: XCTestCase {
    /// `status`'s session count, polled until it equals `expected` or a generous bound passes.
    private func sessions(seenBy client: Client, becoming expected: Int64, within seconds: Double = 60) throws -> Int64? {
        let deadline = Date().addingTimeInterval(seconds)
        var count: Int64?
        repeat {
            count = try client.control(Status.method)["sessions"]?.intValue
            if count == expected { break }
            Thread.sleep(forTimeInterval: 0.05)
        } while Date() < deadline
        return count
    }

    func testSessionsOfClientsThatClosedAreForgottenAndTheOneThatStaysStillWorks() throws {
        let daemon = try TestDaemon { $0.sessionGraceSeconds = 0.2 }
        let staying = try daemon.client()
        for _ in 0..<33 {
            let passing = try daemon.client()
            XCTAssertEqual(try passing.call(Ping.method)["pong"], true)
            passing.close()
        }
        XCTAssertEqual(try sessions(seenBy: staying, becoming: 1), 1, "only the client still connected is remembered")
        XCTAssertEqual(try staying.call(Ping.method)["pong"], true, "the remaining session is still initialized")
    }

    func testADisconnectedSessionKeepsItsTrainingUntilItEndsAndItsModelLands() throws {
        let daemon = try TestDaemon { $0.sessionGraceSeconds = 0 }
        let staying = try daemon.client()
        try staying.prepareCards(rows: 20_000)
        let leaving = try daemon.client()
        try leaving.sendRaw(JSONWriter.data(Message.request(id: .string("orphan"), method: "model/train", params: [
            "dataset": "cards.train", "name": "orphan", "model": ["type": "mlp", "hidden": [8]],
            "optimizer": ["type": "adam", "epochs": 30],
        ]).json))
        var inFlight: [String] = []
        let deadline = Date().addingTimeInterval(30)
        while !inFlight.contains("model/train") && Date() < deadline {
            inFlight = try staying.control(Status.method)["in_flight"]?.arrayValue?.compactMap { $0["method"]?.stringValue } ?? []
        }
        XCTAssertEqual(inFlight, ["model/train"])
        leaving.close()
        XCTAssertEqual(try sessions(seenBy: staying, becoming: 1), 1, "the session goes once its training has ended")
        XCTAssertEqual(try staying.call("model/list")["models"]?.arrayValue?.compactMap { $0["name"]?.stringValue }, ["orphan"],
                       "the training of a client that left still stores its model")
    }
}
