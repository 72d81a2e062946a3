import BallastClient
import BallastProtocol
import Foundation
import Synchronization
import XCTest

/// Many clients with mixed requests in flight while two long trainings hold the workers, against
/// the real `ballastd` binary: every request is answered exactly once, with its own id. `make test`
/// runs 10 clients × 100 requests; `make soak` 50 × 1,000 (BALLAST_LOAD_CLIENTS,
/// BALLAST_LOAD_REQUESTS) and prints the latencies.
final class LoadTests: XCTestCase {
    func testConcurrentClientsGetEveryReplyExactlyOnceWhileTrainingsRun() throws {
        let environment = ProcessInfo.processInfo.environment
        let clients = environment["BALLAST_LOAD_CLIENTS"].flatMap { Int($0) } ?? 10
        let requests = environment["BALLAST_LOAD_REQUESTS"].flatMap { Int($0) } ?? 100
        let daemon = try DaemonProcess(memoryBudgetBytes: 1 << 30, workers: 2, label: "load")
        let setup = try Client(daemon.info)
        setup.defaultTimeout = 120
        try setup.initialize(name: "load-setup")
        _ = try setup.call("dataset/generate", params: ["name": "load", "rows": 2_000, "features": 4, "seed": 1])
        _ = try setup.call("dataset/split", params: ["dataset": "load", "test": 0.3, "seed": 0])
        _ = try setup.call("model/train", params: ["dataset": "load.train", "name": "m"])
        _ = try setup.call("dataset/generate", params: ["name": "long", "rows": 50_000, "features": 20, "seed": 2])

        // Two trainings that would run for hours, cancelled once the load is over.
        let long = try Client(daemon.info)
        try long.initialize(name: "load-long")
        let longIDs = [RequestID.number(1 << 50), .number(1 << 50 + 1)]
        for (n, id) in longIDs.enumerated() {
            try long.sendRaw(JSONWriter.data(Message.request(id: id, method: "model/train", params: [
                "dataset": "long", "name": .string("long-\(n)"), "optimizer": ["type": "adam", "epochs": 1_000_000]]).json))
        }

        var figures = LoadFigures()
        figures.clients = clients
        figures.requestsPerClient = requests
        let outcomes = Mutex([LoadClientOutcome]()), failures = Mutex([String]())
        let waitingOnTrainings = DispatchSemaphore(value: 0)
        let pinging = Atomic<Bool>(true), pings = Mutex([Double]())
        let pinger = Thread { [info = daemon.info] in
            guard let client = try? Client(info) else { return }
            while pinging.load(ordering: .relaxed) {
                let began = DispatchTime.now()
                // A bound that only catches a hang: two trainings and fifty clients share two cores.
                guard (try? client.control(Ping.method, timeout: 30)) != nil else {
                    failures.withLock { $0.append("a control ping was not answered within 30 s") }
                    return
                }
                pings.withLock { $0.append(Double(DispatchTime.now().uptimeNanoseconds - began.uptimeNanoseconds) / 1e6) }
                Thread.sleep(forTimeInterval: 0.01)
            }
        }
        pinger.start()
        let started = Date()
        let done = DispatchGroup()
        for index in 0..<clients {
            done.enter()
            Thread.detachNewThread { [info = daemon.info] in
                defer { done.leave() }
                do {
                    let outcome = try LoadClient(index: index, requests: requests)
                        .run(info, replyTimeout: 600) { waitingOnTrainings.signal() }
                    outcomes.withLock { $0.append(outcome) }
                } catch {
                    failures.withLock { $0.append("client \(index): \(error)") }
                    waitingOnTrainings.signal()
                }
            }
        }
        // Once every client has only its small trainings left (they may queue behind the long
        // ones), the long trainings are cancelled; the clients then wait for the rest.
        for _ in 0..<clients { _ = waitingOnTrainings.wait(timeout: .now() + 1_800) }
        for id in longIDs { try long.cancel(id) }
        XCTAssertEqual(done.wait(timeout: .now() + 1_800), .success, "the load finished within 30 minutes")
        figures.wallSeconds = Date().timeIntervalSince(started)
        pinging.store(false, ordering: .relaxed)

        for _ in longIDs {
            let reply = try long.receiveMessage(timeout: 60)
            figures.longTrainings.append(reply.map { "id \(JSONWriter.string($0["id"] ?? .null)): \($0["error"]?["message"]?.stringValue ?? "finished")" } ?? "no reply")
        }
        while pinger.isExecuting { Thread.sleep(forTimeInterval: 0.01) }
        for outcome in outcomes.withLock({ $0 }) { figures.add(outcome) }
        figures.pings = pings.withLock { $0 }
        print(figures.summary)

        XCTAssertEqual(failures.withLock { $0 }, [])
        XCTAssertEqual(figures.sent, clients * requests)
        XCTAssertEqual(figures.lost, 0, "every request was answered")
        XCTAssertEqual(figures.duplicated, 0, "no request was answered twice")
        XCTAssertEqual(figures.strangers, 0, "no reply carried an id its client never sent")
        XCTAssertEqual(figures.errors, [:], "every mixed request succeeded")
        XCTAssertEqual(figures.longTrainings.filter { $0 == "no reply" }, [], "the cancelled trainings were answered")
        XCTAssertTrue(daemon.isAlive, daemon.ending)
        setup.close()
        long.close()
    }
}
