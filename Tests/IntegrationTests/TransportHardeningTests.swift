import BallastClient
import BallastProtocol
import BallastTransport
import Foundation
import Synchronization
import XCTest
import ZeroMQ

/// What a local peer without the key, or a second daemon, can do to the transport: never more
/// than bounded work and memory, never a hang, never a second daemon on one connection file.
final class TransportHardeningTests: XCTestCase {
    // MARK: One daemon per connection file

    func testOfTwentyDaemonsStartedAtOnceOnOneFileExactlyOneServesAndTheRestExitNamingIt() throws {
        let folder = NSTemporaryDirectory() + "ballast-twenty-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        let path = folder + "/ballastd.json"
        let executable = try BuiltProducts.path("ballastd")
        var started: [(process: Process, errors: Pipe)] = []
        defer { for (process, _) in started where process.isRunning { kill(process.processIdentifier, SIGKILL) } }
        for _ in 0..<20 {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = ["--connection-file", path, "--log-level", "error", "--ephemeral"]
            let errors = Pipe()
            process.standardError = errors
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            started.append((process, errors))
        }
        // Generous bounds, only so that a broken start fails instead of hanging.
        let deadline = Date().addingTimeInterval(60)
        var info: ConnectionInfo?
        while Date() < deadline && (info == nil || started.filter(\.process.isRunning).count > 1) {
            if info == nil { info = try? ConnectionInfo.read(from: path) }
            Thread.sleep(forTimeInterval: 0.05)
        }
        let serving = try XCTUnwrap(info, "no daemon wrote the connection file")
        let running = started.filter(\.process.isRunning)
        XCTAssertEqual(running.count, 1, "exactly one daemon serves")
        XCTAssertEqual(running.first?.process.processIdentifier, serving.pid, "the one running is the one in the file")
        for (process, errors) in started where !process.isRunning {
            XCTAssertEqual(process.terminationStatus, 1)
            let said = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            XCTAssertTrue(said.contains("Another ballastd (pid \(serving.pid ?? -1)) already serves the connection file \(path)"), said)
        }
        let client = try Client(serving)
        XCTAssertEqual(try client.control(Ping.method, timeout: 10)["pong"], true)
        client.close()

        let winner = try XCTUnwrap(running.first?.process)
        winner.terminate()
        let stopDeadline = Date().addingTimeInterval(30)
        while winner.isRunning && Date() < stopDeadline { Thread.sleep(forTimeInterval: 0.02) }
        XCTAssertEqual(winner.terminationStatus, 0)
        XCTAssertTrue(started.allSatisfy { !$0.process.isRunning })
        XCTAssertEqual(Self.processes(mentioning: path), [], "no orphan daemon is left on the file")
    }

    /// Pids of processes whose command line mentions `text`.
    private static func processes(mentioning text: String) -> [Int32] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { entry -> Int32? in
            guard let pid = Int32(entry), let line = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline"),
                  String(decoding: line, as: UTF8.self).contains(text) else { return nil }
            return pid
        }
    }

    // MARK: Message sizes

    func testAKeylessFloodOfLargeMessagesDoesNotStarveControlPings() throws {
        let daemon = try TestDaemon()
        let client = try daemon.client(initialize: false)
        let info = daemon.info
        let stop = Atomic<Bool>(false)
        let sent = Atomic<Int>(0)
        let failure = Mutex<String?>(nil)
        let finished = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            defer { finished.signal() }
            do {
                let context = try Context()
                // No key: frames a signature cannot match, sent as fast as the sockets take them.
                let control = try Socket(context, .dealer), request = try Socket(context, .dealer)
                for socket in [control, request] { try socket.setSendHighWaterMark(4) }
                try control.connect(info.controlEndpoint)
                try request.connect(info.requestEndpoint)
                let signature = Data(repeating: UInt8(ascii: "0"), count: 64)
                let huge = Data(repeating: UInt8(ascii: "{"), count: 4 << 20)      // 64 times the control limit
                let large = Data(repeating: UInt8(ascii: "{"), count: 256 << 10)   // under the request limit
                while !stop.load(ordering: .relaxed) {
                    var progressed = false
                    if try control.send([signature, huge], dontWait: true) { progressed = true }
                    if try request.send([signature, large], dontWait: true) { progressed = true }
                    if progressed { sent.add(1, ordering: .relaxed) } else { usleep(500) }
                }
                control.close()
                request.close()
            } catch {
                failure.withLock { $0 = "\(error)" }
            }
        }
        defer {
            stop.store(true, ordering: .relaxed)
            _ = finished.wait(timeout: .now() + 30)
        }
        /// Waits until the flood has sent `count` more messages (a bound, not a timing).
        func floodAdvances(by count: Int) {
            let target = sent.load(ordering: .relaxed) + count
            let deadline = Date().addingTimeInterval(30)
            while sent.load(ordering: .relaxed) < target && Date() < deadline { usleep(200) }
        }
        floodAdvances(by: 16)
        for index in 0..<32 {
            floodAdvances(by: 2)
            // 2 s only catches starvation or a hang; a healthy daemon answers in milliseconds.
            XCTAssertEqual(try client.control(Ping.method, timeout: 2)["pong"], true, "ping \(index) during the flood")
        }
        XCTAssertNil(failure.withLock { $0 })
        XCTAssertGreaterThan(sent.load(ordering: .relaxed), 16 + 2 * 32, "the flood ran during the pings")
        let rejected = try client.control(Status.method)["rejected"]
        XCTAssertGreaterThan(rejected?["bad_signature"]?.intValue ?? 0, 0, "the flood reached the request socket, refused")
    }

    // MARK: Events socket

    func testTheEventsSocketWelcomesOnlyTopicsOfAKnownShapeAndBoundsEachPeer() throws {
        let daemon = try TestDaemon()
        // Subscribed to everything, the witness hears every welcome the daemon publishes.
        let witness = try EventSubscription(daemon.info, topic: "", timeout: 10)
        let context = try Context()
        let peer = try Socket(context, .xsub)
        try peer.connect(daemon.info.eventEndpoint)
        func send(_ kind: UInt8, _ topic: String) throws { try peer.send([Data([kind]) + Data(topic.utf8)]) }
        func welcomes(until last: String) throws -> [String] {
            var topics: [String] = []
            while let event = try witness.next(timeout: 10) {
                guard event.method == Welcome.method, let topic = event.params["topic"]?.stringValue else { continue }
                topics.append(topic)
                if topic == last { break }
            }
            return topics
        }
        // Once this is welcomed the peer is connected, and what follows goes over one connection in order.
        try send(1, "run.first")
        XCTAssertEqual(try welcomes(until: "run.first"), ["run.first"])

        for odd in ["evil/topic", "daemons", "run.\u{1}", "run." + String(repeating: "x", count: 200)] { try send(1, odd) }
        for index in 1..<64 { try send(1, "run.t\(index)") }
        try send(1, "run.over")       // one more than a peer may hold (64)
        try send(0, "run.first")      // an unsubscription frees a place …
        try send(1, "run.sync")       // … which this takes
        let welcomed = try welcomes(until: "run.sync")
        XCTAssertEqual(welcomed.last, "run.sync", "an unsubscription brings the peer's count down")
        XCTAssertEqual(Set(welcomed), Set((1..<64).map { "run.t\($0)" } + ["run.sync"]),
                       "odd shapes, long topics and the 65th subscription are not welcomed")
        XCTAssertEqual(try daemon.client().call(Ping.method)["pong"], true)
    }

    func testAPeerThatHoldsTooManyRefusedSubscriptionsIsDisconnected() throws {
        let daemon = try TestDaemon()
        let witness = try EventSubscription(daemon.info, topic: "", timeout: 10)
        let context = try Context()
        let peer = try Socket(context, .xsub)
        try peer.connect(daemon.info.eventEndpoint)
        func welcomes(of wanted: String, expected: Int) throws -> Int {
            try Self.welcomes(of: wanted, expected: expected, on: witness, touching: peer)
        }
        try peer.send([Data([1]) + Data("run.first".utf8)])
        XCTAssertEqual(try welcomes(of: "run.first", expected: 1), 1)
        // libzmq keeps every subscription a peer sent, refused or not, until the peer leaves: past
        // 256 the daemon shuts the connection. The peer's socket then reconnects and sends what it
        // holds again, in topic order: "run.first" (welcomed again, proof of the new connection)
        // before the refused "zz…" ones.
        for index in 0..<300 { try peer.send([Data([1]) + Data("zz\(index)".utf8)]) }
        XCTAssertEqual(try welcomes(of: "run.first", expected: 1), 1, "the peer was disconnected and came back")
        XCTAssertEqual(try daemon.client().control(Ping.method)["pong"], true)
    }

    func testAPeerSendingWhatIsNotASubscriptionIsDisconnectedAndOthersStillSubscribe() throws {
        let daemon = try TestDaemon()
        let witness = try EventSubscription(daemon.info, topic: "", timeout: 10)
        let context = try Context()
        let peer = try Socket(context, .xsub)
        try peer.connect(daemon.info.eventEndpoint)
        try peer.send([Data([1]) + Data("run.first".utf8)])
        XCTAssertEqual(try Self.welcomes(of: "run.first", expected: 1, on: witness, touching: peer), 1)
        // An XSUB may send anything upstream; libzmq queues it beside the subscriptions.
        try peer.send([Data("not a subscription".utf8)])
        XCTAssertEqual(try Self.welcomes(of: "run.first", expected: 1, on: witness, touching: peer), 1,
                       "the peer was disconnected and came back")
        let later = try EventSubscription(daemon.info, topic: "run.later", timeout: 10)
        later.close()
    }

    /// Counts welcomes of `wanted` until `expected` arrive (or a bound passes), touching the peer's
    /// socket meanwhile: libzmq runs a socket's reconnection only when its owner calls into it.
    private static func welcomes(of wanted: String, expected: Int, on witness: EventSubscription,
                                 touching peer: Socket) throws -> Int {
        var count = 0
        let deadline = Date().addingTimeInterval(20)
        while count < expected && Date() < deadline {
            _ = try peer.receive(dontWait: true)
            guard let event = try witness.next(timeout: 0.05) else { continue }
            if event.method == Welcome.method, event.params["topic"]?.stringValue == wanted { count += 1 }
        }
        return count
    }

    func testASubscriberThatNeverReadsBlocksNothingAndRunEventsStillBackfills() throws {
        let daemon = try TestDaemon()
        let trainer = try daemon.client(), other = try daemon.client()
        try trainer.prepareCards(rows: 20_000)
        let context = try Context()
        let sleeper = try Socket(context, .sub)
        try sleeper.setReceiveHighWaterMark(1)
        try sleeper.setReceiveTimeout(milliseconds: 10_000)
        try sleeper.connect(daemon.info.eventEndpoint)
        try sleeper.subscribe(Data())
        XCTAssertNotNil(try sleeper.receive(), "its welcome: the last thing it ever reads")

        let outcome = Mutex<Result<JSONValue, ClientError>?>(nil)
        let trained = DispatchSemaphore(value: 0)
        let trainerBox = UncheckedBox(trainer)
        Thread.detachNewThread {
            let result = Result { () throws(ClientError) in
                try trainerBox.value.call("model/train", params: [
                    "dataset": "cards.train",
                    "model": ["type": "mlp", "hidden": [8]],
                    "optimizer": ["type": "adam", "epochs": 20, "lr": 0.01, "batch_size": 256],
                ], timeout: 120)
            }
            outcome.withLock { $0 = result }
            trained.signal()
        }
        for _ in 0..<10 {
            XCTAssertEqual(try other.control(Ping.method, timeout: 5)["pong"], true)
            XCTAssertNotNil(try other.call("dataset/list")["datasets"])
        }
        XCTAssertEqual(trained.wait(timeout: .now() + 120), .success, "the training finished")
        let result = try XCTUnwrap(outcome.withLock { $0 }).get()
        let run = try XCTUnwrap(result["run"]?.stringValue)
        let replay = try other.call("run/events", params: ["run": .string(run)])
        XCTAssertEqual(replay["complete"], true)
        let seqs = replay["events"]?.arrayValue?.compactMap { $0["seq"]?.intValue } ?? []
        XCTAssertFalse(seqs.isEmpty)
        XCTAssertEqual(seqs, Array(1...Int64(seqs.count)), "every record, in order, without gaps")
        XCTAssertEqual(replay["events"]?.arrayValue?.last?["kind"], "end")
        sleeper.close()
    }

    func testASubscriberThatNeverReadsCostsBoundedMemory() throws {
        let server = try ServerSockets(binding: ConnectionInfo()) { _ in }
        defer { server.stop() }
        let accepted = Mutex<Set<String>>([])
        server.start(ServerSockets.Receivers(request: { _ in }, control: { _ in }, subscription: { notice in
            if case .accepted(let topic) = notice { accepted.withLock { _ = $0.insert(topic) } }
        }))
        func waitUntilAccepted(_ topic: String) {
            let deadline = Date().addingTimeInterval(10)
            while !accepted.withLock({ $0.contains(topic) }) && Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        }
        let context = try Context()
        let sleeper = try Socket(context, .sub)
        try sleeper.setReceiveHighWaterMark(1)
        try sleeper.connect(server.info.eventEndpoint)
        try sleeper.subscribe(Data())
        waitUntilAccepted("")
        let reader = try EventSubscriber(server.info, topic: "daemon")
        waitUntilAccepted("daemon")

        let before = try Self.residentBytes()
        let event = Data(repeating: UInt8(ascii: "e"), count: 4 << 10)
        // 100,000 events of 4 KiB (400 MiB) for a subscriber that never reads. Every 1,000 a marker
        // reaches the reader, so the daemon's outbox is drained and what remains queued is libzmq's.
        for batch in 0..<100 {
            for _ in 0..<1_000 { server.publish(event, topic: "run.flood") }
            server.publish(Data("\(batch)".utf8), topic: "daemon")
            let marker = try XCTUnwrap(try reader.receive(until: Date().addingTimeInterval(10)), "the reader is not blocked")
            XCTAssertEqual(marker.last, Data("\(batch)".utf8))
        }
        let grown = try Self.residentBytes() - before
        // 10,000 queued events of ~4 KiB are ~40 MiB; the old mark of 100,000 kept ~400 MiB.
        XCTAssertLessThan(grown, 150 << 20, "resident memory grew by \(grown >> 20) MiB")
        sleeper.close()
        reader.close()
    }

    private static func residentBytes() throws -> Int {
        let status = try String(contentsOfFile: "/proc/self/status", encoding: .utf8)
        let line = try XCTUnwrap(status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") })
        let kilobytes = try XCTUnwrap(Int(line.split(separator: " ").dropFirst().first ?? ""))
        return kilobytes << 10
    }
}

/// Hands a client to one other thread, which alone uses it from then on.
private final class UncheckedBox<Value>: @unchecked Sendable {
    // @unchecked: the test thread stops touching `value` once it is boxed.
    let value: Value
    init(_ value: Value) { self.value = value }
}
