import BallastClient
import BallastProtocol
@testable import BallastServer
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

    /// The names of the methods in flight, as `status` lists them.
    private func inFlight(seenBy client: Client) throws -> [String] {
        try client.control(Status.method)["in_flight"]?.arrayValue?.compactMap { $0["method"]?.stringValue } ?? []
    }

    func testADisconnectedSessionKeepsItsTrainingUntilItEndsAndItsModelLands() throws {
        // One job thread, taken by a long training of the client that stays: the leaving client's
        // training waits in flight behind it for as long as the test needs, whatever the speed.
        let daemon = try TestDaemon {
            $0.sessionGraceSeconds = 0
            $0.jobThreadLimit = 1
        }
        let staying = try daemon.client()
        try staying.prepareCards(rows: 20_000)
        try staying.sendRaw(JSONWriter.data(Message.request(id: .string("blocker"), method: "model/train", params: [
            "dataset": "cards.train", "name": "blocker", "model": ["type": "mlp", "hidden": [8]],
            "optimizer": ["type": "adam", "epochs": 100_000],
        ]).json))
        let leaving = try daemon.client()
        try leaving.sendRaw(JSONWriter.data(Message.request(id: .string("orphan"), method: "model/train", params: [
            "dataset": "cards.train", "name": "orphan", "model": ["type": "mlp", "hidden": [8]],
            "optimizer": ["type": "adam", "epochs": 30],
        ]).json))
        var methods: [String] = []
        let deadline = Date().addingTimeInterval(30)
        while methods.count < 2 && Date() < deadline {
            methods = try inFlight(seenBy: staying)
            Thread.sleep(forTimeInterval: 0.02)
        }
        XCTAssertEqual(methods, ["model/train", "model/train"])
        leaving.close()
        let departed = Date().addingTimeInterval(30)
        while !daemon.server.sessions.hasDeparted(leaving.session) && Date() < departed { Thread.sleep(forTimeInterval: 0.02) }
        XCTAssertTrue(daemon.server.sessions.hasDeparted(leaving.session), "the daemon saw the client leave")
        // Its (zero) grace has passed, but its training is in flight: the session stays.
        XCTAssertEqual(try staying.control(Status.method)["sessions"], 2, "a session with work in flight is kept")
        XCTAssertEqual(try inFlight(seenBy: staying).count, 2, "and its training was still in flight meanwhile")

        try staying.cancel(.string("blocker"))
        XCTAssertEqual(try sessions(seenBy: staying, becoming: 1), 1, "the session goes once its training has ended")
        XCTAssertEqual(try staying.call("model/list")["models"]?.arrayValue?.compactMap { $0["name"]?.stringValue }, ["orphan"],
                       "the training of a client that left still stores its model")
    }
}
