import BallastProtocol
import Foundation
import Synchronization

/// One request of the kill loop that makes a run (`model/train`, `experiment/compare`,
/// `experiment/sweep`), as its client saw it: sent, then answered or not before the kill.
struct SentRun: Sendable {
    enum Outcome: Sendable, Equatable {
        /// Sent; no reply came before the daemon was killed.
        case unanswered
        /// A reply came: the daemon acknowledged the run, and promised to keep it.
        case acknowledged(JSONValue)
        /// An error came: no run is promised (the kill loop only counts these).
        case refused(code: Int64, message: String)
    }

    /// The request's `progress_token`, unique over the whole loop: the stored params carry it, so
    /// a run found after a restart is matched to the request that made it.
    let token: String
    let round: Int
    let method: String
    let params: JSONValue
    /// `model/train`: the model's name, unique over the loop.
    let model: String?
    var outcome: Outcome = .unanswered
    /// From the reply, or else from the first `$/progress` that named it.
    var run: String?
    /// The records `$/progress` brought, by `seq`: those the daemon published before the kill.
    var heard: [Int: RunEvent] = [:]
}

/// One request that stores datasets (`dataset/generate` makes one, `dataset/split` two or three),
/// and what its reply said each one holds.
struct SentDatasets: Sendable {
    let id: Int
    let round: Int
    let method: String
    let names: [String]
    /// The reply's summary (`rows`, `classes`) of each dataset, by name; nil while unanswered.
    var acknowledged: [String: JSONValue]?
}

/// What an acknowledged model predicted for fixed rows before the kill, to be predicted again after.
struct Prediction: Sendable {
    let rows: JSONValue
    let probabilities: JSONValue
}

/// Everything the kill loop's clients sent and heard, over every round, shared by their threads.
final class DurabilityLedger: Sendable {
    private struct State {
        var runs: [String: SentRun] = [:]
        var order: [String] = []
        var predictions: [String: Prediction] = [:]
        var datasets: [SentDatasets] = []
    }
    private let state = Mutex(State())

    func sent(_ run: SentRun) {
        state.withLock {
            $0.runs[run.token] = run
            $0.order.append(run.token)
        }
    }

    func heard(_ event: RunEvent, token: String) {
        state.withLock { state in
            guard var run = state.runs[token], let seq = event.seq else { return }
            run.heard[seq] = event
            if run.run == nil { run.run = event.run }
            state.runs[token] = run
        }
    }

    func answered(_ token: String, _ outcome: SentRun.Outcome) {
        state.withLock { state in
            guard var run = state.runs[token] else { return }
            run.outcome = outcome
            if case .acknowledged(let result) = outcome, let id = result["run"]?.stringValue { run.run = id }
            state.runs[token] = run
        }
    }

    /// Notes a dataset request about to be sent; returns its id for `storedDatasets`.
    func sendingDatasets(round: Int, method: String, names: [String]) -> Int {
        state.withLock { state in
            state.datasets.append(SentDatasets(id: state.datasets.count, round: round, method: method, names: names))
            return state.datasets.count - 1
        }
    }

    func storedDatasets(_ id: Int, summaries: [String: JSONValue]) {
        state.withLock { $0.datasets[id].acknowledged = summaries }
    }

    func predicted(model: String, _ prediction: Prediction) {
        state.withLock { $0.predictions[model] = prediction }
    }

    /// Every request sent so far, in the order sent.
    var runs: [SentRun] { state.withLock { state in state.order.compactMap { state.runs[$0] } } }
    var predictions: [String: Prediction] { state.withLock { $0.predictions } }
    /// Every dataset request sent so far, in the order sent.
    var datasets: [SentDatasets] { state.withLock { $0.datasets } }
}
