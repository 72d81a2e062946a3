import BallastClient
import BallastProtocol
import BallastTransport
import Foundation

/// What one load client saw.
struct LoadClientOutcome: Sendable {
    var sent = 0
    var answered = 0
    var lost = 0
    var duplicated = 0
    var strangers = 0
    var errors: [Int: Int] = [:]
    var latencies: [Double] = []
    /// The small trainings' latencies, apart: they may wait for a free worker.
    var trainingLatencies: [Double] = []
}

/// One client of the load test: its own connection, a mixed stream of requests, and an exact
/// count of the replies each id receives. It waits for each reply before the next request, as
/// an interactive client does, except for trainings: those run on while it goes on asking.
struct LoadClient {
    let index: Int
    let requests: Int

    /// The request the client sends `n`-th: mostly cheap reads, some evaluations and predictions,
    /// a few small trainings and a control-socket `status` now and then.
    func request(_ n: Int) -> (method: String, params: JSONValue, control: Bool) {
        switch n % 20 {
        case 0, 5, 10, 15: return ("ping", [:], false)
        case 1, 11: return ("dataset/list", [:], false)
        case 2, 12, 17: return ("dataset/describe", ["dataset": "load"], false)
        case 3, 13: return ("model/evaluate", ["model": "m", "dataset": "load.test"], false)
        case 4, 14, 18: return ("model/predict", ["model": "m", "rows": [[0, 0, 0, 0], [1, -1, 2, 0.5]]], false)
        case 6, 16: return ("status", [:], true)
        case 7: return ("model/train", ["dataset": "load.train", "name": .string("small-\(index)"),
                                        "optimizer": ["type": "lbfgs", "max_iter": 20]], false)
        default: return ("ping", [:], false)
        }
    }

    /// - Parameter onlyTrainingsLeft: called once, when everything is sent and only trainings are
    ///   unanswered (without fair scheduling they wait for the long trainings to end).
    func run(_ info: ConnectionInfo, replyTimeout: Double, onlyTrainingsLeft: () -> Void) throws -> LoadClientOutcome {
        let client = try Client(info)
        defer { client.close() }
        try client.initialize(name: "load-\(index)")
        var outcome = LoadClientOutcome()
        // Ids apart from every other client's, and from the bundled client's random range.
        let firstID = Int64(index + 1) << 44
        var sentAt: [Int64: DispatchTime] = [:], replies: [Int64: Int] = [:]
        var inFlight = 0, next = 0, trainings: Set<Int64> = [], signalled = false
        var lastReply = Date()
        func take(_ message: JSONValue) {
            guard message["method"] == nil else { return }
            guard case .int(let id)? = message["id"], let start = sentAt[id] else {
                outcome.strangers += 1
                return
            }
            replies[id, default: 0] += 1
            if replies[id] == 1 {
                inFlight -= 1
                let milliseconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e6
                if trainings.remove(id) != nil {
                    outcome.trainingLatencies.append(milliseconds)
                } else {
                    outcome.latencies.append(milliseconds)
                }
                if let code = message["error"]?["code"]?.intValue { outcome.errors[Int(code), default: 0] += 1 }
            }
            lastReply = Date()
        }
        while next < requests || inFlight > 0 {
            if !signalled && next == requests && inFlight == trainings.count {
                signalled = true
                onlyTrainingsLeft()
            }
            if next < requests && inFlight == trainings.count {
                let (method, params, control) = request(next)
                let id = firstID + Int64(next)
                next += 1
                outcome.sent += 1
                let payload = JSONWriter.data(["jsonrpc": "2.0", "id": .int(id), "method": .string(method), "params": params])
                sentAt[id] = .now()
                inFlight += 1
                if control {
                    // The control socket answers at once; its reply is taken here, in order.
                    try client.sendRaw(payload, control: true)
                    while let reply = try client.receiveMessage(timeout: replyTimeout, control: true) {
                        take(reply)
                        if reply["id"] == .int(id) { break }
                    }
                    if replies[id] == nil { inFlight -= 1 }   // lost: counted below
                } else {
                    if method == "model/train" { trainings.insert(id) }
                    try client.sendRaw(payload)
                }
                continue
            }
            if let reply = try client.receiveMessage(timeout: 0.5) {
                take(reply)
            } else if Date().timeIntervalSince(lastReply) > replyTimeout {
                break   // a generous bound that only catches a hang; what is missing counts as lost
            }
        }
        if !signalled { onlyTrainingsLeft() }
        // Anything sent twice would arrive now.
        while let reply = try client.receiveMessage(timeout: 0.2) { take(reply) }
        outcome.answered = replies.count
        outcome.lost = sentAt.keys.filter { replies[$0] == nil }.count
        outcome.duplicated = replies.values.filter { $0 > 1 }.count
        return outcome
    }
}
