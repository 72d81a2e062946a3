import BallastClient
import BallastProtocol
import BallastTransport
import Foundation

/// One client of the kill loop: its own connection, sending its workload one request at a time
/// (as an interactive client does) and writing down every request, every `$/progress` record and
/// every reply in the ledger, until the daemon is gone. A model acknowledged is asked at once for
/// its predictions on fixed rows, to compare after the restart.
struct DurabilityClient {
    let workload: DurabilityWorkload
    let ledger: DurabilityLedger

    /// How one client's round ended, for the figures.
    struct Ending: Sendable {
        var requests = 0
        /// Set when the client stopped for another reason than the daemon's end.
        var unexpected: String?
    }

    func run(_ info: ConnectionInfo, connectionFile: String) -> Ending {
        var ending = Ending()
        var workload = workload
        let client: Client
        do {
            client = try Client(info, connectionFile: connectionFile)
            client.defaultTimeout = 300
            try client.initialize(name: "kill-loop-\(workload.client)")
        } catch {
            if !Self.isDaemonGone(error) { ending.unexpected = "connecting: \(error)" }
            return ending
        }
        defer { client.close() }
        var pending = workload.datasets()
        while true {
            if pending.isEmpty { pending = workload.next() }
            let planned = pending.removeFirst()
            ending.requests += 1
            do {
                try send(planned, on: client)
            } catch {
                if !Self.isDaemonGone(error) { ending.unexpected = "\(planned.method): \(error)" }
                return ending
            }
        }
    }

    private func send(_ planned: DurabilityWorkload.Planned, on client: Client) throws {
        guard let token = planned.token else { return try store(planned, on: client) }
        ledger.sent(SentRun(token: token, round: workload.round, method: planned.method, params: planned.params,
                            model: planned.model))
        let result: JSONValue
        do {
            result = try client.call(planned.method, params: planned.params, onNotification: { method, params in
                guard method == WorkProgress.method, let progress = try? params.decode(as: WorkProgress.Params.self) else { return }
                ledger.heard(progress.value, token: token)
            })
        } catch {
            guard case .rpc(let refusal) = error else { throw error }
            ledger.answered(token, .refused(code: Int64(refusal.code), message: refusal.message))
            return
        }
        ledger.answered(token, .acknowledged(result))
        if let model = planned.model {
            let rows = DurabilityWorkload.probeRows
            let predicted = try client.call(ModelPredict.method, params: ["model": .string(model), "rows": rows])
            ledger.predicted(model: model, Prediction(rows: rows, probabilities: predicted["probabilities"] ?? .null))
        }
    }

    /// A dataset request: which datasets it makes, and what the reply says they hold.
    private func store(_ planned: DurabilityWorkload.Planned, on client: Client) throws {
        let name = planned.params["dataset"]?.stringValue ?? planned.params["name"]?.stringValue ?? "?"
        let names = planned.method == DatasetSplit.method ? ["train", "validation", "test"].map { name + "." + $0 } : [name]
        let id = ledger.sendingDatasets(round: workload.round, method: planned.method, names: names)
        let reply = try client.call(planned.method, params: planned.params)
        let summaries = reply["datasets"]?.arrayValue ?? [reply]
        ledger.storedDatasets(id, summaries: Dictionary(summaries.compactMap { summary in
            summary["name"]?.stringValue.map { ($0, summary) }
        }, uniquingKeysWith: { first, _ in first }))
    }

    /// Whether the client stopped because the daemon was killed (the only expected way).
    static func isDaemonGone(_ error: any Error) -> Bool {
        switch error as? ClientError {
        case .daemonGone?: true
        default: false
        }
    }
}
