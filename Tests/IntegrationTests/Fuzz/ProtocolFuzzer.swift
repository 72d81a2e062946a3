import BallastClient
import BallastProtocol
import BallastTransport
import Foundation

/// Sends a seeded stream of mutated messages to a real `ballastd` process and checks after every
/// batch that it lives, answers a control ping and stays within its memory bound; at the end,
/// that no unauthentic message was executed or answered and no tracked reply was lost or doubled.
final class ProtocolFuzzer {
    struct Settings {
        var messages = 20_000
        var seed: UInt64 = 1
        var batch = 500
        var memoryBudgetBytes = 256 << 20
        /// RSS may exceed the memory budget by this much (the runtime, libzmq's queues, caches).
        var residentSlackBytes = 500 << 20
        /// Bounds that only catch a hang.
        var pingTimeout = 5.0
        var finalRepliesTimeout = 60.0
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    let settings: Settings
    private(set) var figures = FuzzFigures()
    private let daemon: DaemonProcess
    private let prober: Client
    private let sockets: ClientSockets
    private let signer: MessageSigner
    /// Tracked requests not yet answered, by id, with the channel their reply comes back on.
    private var outstanding: [Int64: (method: String, channel: FuzzMessage.Channel)] = [:]
    private var answered: Set<Int64> = []
    private var cancelled: Set<Int64> = []

    init(settings: Settings) throws {
        self.settings = settings
        figures.seed = settings.seed
        daemon = try DaemonProcess(memoryBudgetBytes: settings.memoryBudgetBytes, label: "fuzz")
        try "a,b,label\n1,2,0\n3,4,1\n5,6,0\n7,8,1\n".write(toFile: daemon.folder + "/small.csv", atomically: true, encoding: .utf8)
        prober = try Client(daemon.info)
        prober.defaultTimeout = 30
        try prober.initialize(name: "fuzz-prober")
        _ = try prober.call("dataset/generate", params: ["name": .string(MessageGenerator.sentinel), "rows": 200, "features": 2])
        signer = daemon.info.signer
        var seeded = SeededGenerator(seed: settings.seed)
        sockets = try ClientSockets(daemon.info, identity: Data(seeded.bytes(16)))
    }

    /// Runs the whole stream; throws a `Failure` that names the seed at the first broken promise.
    func run() throws {
        figures.started = Date()
        let initialize = Data(#"{"id":"fuzz-initialize","jsonrpc":"2.0","method":"initialize","params":{"client":{"name":"fuzzer"}}}"#.utf8)
        try sockets.send(Frames.signed(initialize, with: signer), on: .request)
        guard let reply = try receive(.request, within: 20), let capabilities = reply["result"]?["capabilities"] else {
            throw fail("initialize was not answered")
        }
        let corpus = try FuzzCorpus(capabilities: capabilities,
                                    examples: BuiltProducts.repositoryRoot.appendingPathComponent("protocol/examples"))
        var generator = MessageGenerator(seed: settings.seed, signer: signer, corpus: corpus)
        let watchdog = Watchdog(seed: settings.seed)
        defer { watchdog.stop() }
        for index in 1...max(1, settings.messages) {
            let message = generator.next()
            try sockets.send(message.frames, on: message.channel == .request ? .request : .control)
            figures.sent(message)
            if let id = message.trackedID { outstanding[id] = (message.method ?? "?", message.channel) }
            watchdog.progress(index)
            if index % 50 == 0 { try drain(.request) }
            if index % 200 == 0 { try drain(.control) }
            if index % settings.batch == 0 || index == settings.messages { try checkpoint(after: index) }
            if index % 100_000 == 0 {
                // Standard error is not buffered: a long run shows it is moving.
                FileHandle.standardError.write(Data("fuzz seed \(settings.seed): \(index) messages sent in \(Int(figures.wallSeconds)) s\n".utf8))
            }
        }
        try finish()
    }

    // MARK: Checks

    /// After a batch: cancel its jobs, then the daemon must be alive, answer a ping and fit its bound.
    private func checkpoint(after index: Int) throws {
        try drain(.request)
        try drain(.control)
        try cancelOutstanding()
        guard daemon.isAlive else { throw fail("the daemon died (\(daemon.ending)) in the batch ending at message \(index)") }
        let began = DispatchTime.now()
        do {
            guard try prober.control("ping", timeout: settings.pingTimeout)["pong"] == true else { throw fail("ping did not say pong") }
        } catch let error as ClientError {
            throw fail("no control ping answer within \(settings.pingTimeout) s after message \(index): \(error)")
        }
        figures.pingMilliseconds.append(Double(DispatchTime.now().uptimeNanoseconds - began.uptimeNanoseconds) / 1e6)
        if let resident = daemon.residentBytes {
            figures.peakResidentBytes = max(figures.peakResidentBytes, resident)
            let bound = settings.memoryBudgetBytes + settings.residentSlackBytes
            if resident > bound { throw fail("the daemon's RSS is \(resident >> 20) MiB after message \(index), over \(bound >> 20) MiB") }
        }
    }

    /// Cancels every tracked request still unanswered (trainings with huge epochs would otherwise
    /// hold the workers). Each is cancelled once: a second identical payload would be a replay.
    private func cancelOutstanding() throws {
        for (id, entry) in outstanding.sorted(by: { $0.key < $1.key }) where entry.channel == .request && !cancelled.contains(id) {
            cancelled.insert(id)
            // The leading space keeps these payloads apart from every generated one.
            let payload = Data(" {\"jsonrpc\":\"2.0\",\"method\":\"$/cancelRequest\",\"params\":{\"id\":\(id)}}".utf8)
            try sockets.send(Frames.signed(payload, with: signer), on: .request)
            figures.cancellations += 1
        }
    }

    private func finish() throws {
        let deadline = Date().addingTimeInterval(settings.finalRepliesTimeout)
        while !outstanding.isEmpty && Date() < deadline {
            try cancelOutstanding()
            try drain(.request, wait: 0.1)
            try drain(.control, wait: 0.01)
            guard daemon.isAlive else { throw fail("the daemon died (\(daemon.ending)) while the last replies came in") }
        }
        figures.lostReplies = outstanding.count
        if !outstanding.isEmpty {
            let sample = outstanding.sorted { $0.key < $1.key }.prefix(5).map { "\($0.key) (\($0.value.method))" }
            throw fail("\(outstanding.count) tracked requests were never answered, e.g. \(sample.joined(separator: ", "))")
        }
        if figures.duplicatedReplies > 0 { throw fail("\(figures.duplicatedReplies) tracked requests were answered twice") }
        if figures.answeredUnsigned > 0 { throw fail("\(figures.answeredUnsigned) unauthentic messages were answered") }
        try checkRejectedCounts()
        let datasets = try prober.call("dataset/list")["datasets"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? []
        let models = try prober.call("model/list")["models"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? []
        guard datasets.contains(MessageGenerator.sentinel) else { throw fail("the sentinel dataset was dropped: \(datasets)") }
        let executed = (datasets + models).filter { $0.hasPrefix(MessageGenerator.unsignedPrefix) || $0.hasPrefix(MessageGenerator.sentinel + ".") }
        guard executed.isEmpty else { throw fail("unsigned markers were executed: \(executed.prefix(10))") }
        guard daemon.isAlive, try prober.control("ping", timeout: settings.pingTimeout)["pong"] == true else {
            throw fail("the daemon is not serving at the end (\(daemon.ending))")
        }
        if let resident = daemon.residentBytes { figures.peakResidentBytes = max(figures.peakResidentBytes, resident) }
    }

    /// Every unauthentic message is counted once in `status.rejected`; nothing else is.
    private func checkRejectedCounts() throws {
        var total = -1
        let deadline = Date().addingTimeInterval(10)
        repeat {
            let rejected = try prober.control("status")["rejected"]?.objectValue ?? [:]
            total = rejected.values.compactMap(\.intValue).reduce(0, +).asInt
            if total == figures.unauthentic { return }
            Thread.sleep(forTimeInterval: 0.1)
        } while Date() < deadline
        throw fail("status.rejected counts \(total) messages, but \(figures.unauthentic) unauthentic ones were sent")
    }

    // MARK: Receiving

    /// Takes every message waiting on `channel`, accounting for the replies.
    private func drain(_ channel: FuzzMessage.Channel, wait: Double = 0) throws {
        var deadline = Date().addingTimeInterval(max(wait, 0.000_1))
        while let message = try receive(channel, until: deadline) {
            account(message)
            deadline = Date().addingTimeInterval(0.000_1)
        }
    }

    private func account(_ message: JSONValue) {
        if message["method"] != nil {
            figures.notifications += 1
            return
        }
        figures.replies += 1
        switch message["id"] {
        case .int(let id)?:
            if outstanding.removeValue(forKey: id) != nil {
                answered.insert(id)
            } else if answered.contains(id) {
                figures.duplicatedReplies += 1
            }
        case .string(let id)? where id.hasPrefix(MessageGenerator.unsignedPrefix):
            figures.answeredUnsigned += 1
        default:
            break
        }
    }

    private func receive(_ channel: FuzzMessage.Channel, within seconds: Double) throws -> JSONValue? {
        try receive(channel, until: Date().addingTimeInterval(seconds))
    }

    /// The next message the daemon signed on `channel` (anything else would be a transport bug).
    private func receive(_ channel: FuzzMessage.Channel, until deadline: Date) throws -> JSONValue? {
        guard let frames = try sockets.receive(on: channel == .request ? .request : .control, until: deadline) else { return nil }
        // Replies on the request socket may carry buffers (dataset/get), signed with the payload.
        let buffers = channel == .request ? Array(frames.dropFirst(2)) : []
        guard frames.count == 2 + buffers.count, frames.count >= 2,
              signer.verify(signature: frames[0], payload: frames[1], buffers: buffers), let value = try? JSONParser.parse(frames[1]) else {
            throw fail("the daemon sent a message that does not verify: \(frames.count) frames")
        }
        return value
    }

    private func fail(_ reason: String) -> Failure {
        Failure(description: "seed \(settings.seed): \(reason)\n\(figures.summary)")
    }

    deinit {
        sockets.close()
        prober.close()
        daemon.stop()
    }
}

private extension Int64 {
    var asInt: Int { Int(self) }
}
