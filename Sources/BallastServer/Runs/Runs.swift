import BallastProtocol
import Foundation
import Synchronization

/// Every long job the daemon runs, with the records it produced, so that `run/events` can replay
/// them and `run/cancel` can stop them. Finished runs are kept (the most recent 200).
public final class Runs: Sendable {
    struct Run {
        var id: String
        var method: String
        var outputName: String?
        var cancellation: CancellationFlag
        var events: [RunEvent] = []
        var finished = false
    }

    private struct State {
        var runs: [String: Run] = [:]
        var order: [String] = []
        var next = 1
    }

    private let state = Mutex(State())
    static let retained = 200

    public init() {}

    /// Registers a run and returns its recorder, which publishes and logs its records.
    func begin(method: String, outputName: String?, context: RequestContext) -> RunRecorder {
        let id = state.withLock { state -> String in
            let id = "r\(state.next)"
            state.next += 1
            state.runs[id] = Run(id: id, method: method, outputName: outputName, cancellation: context.cancellation)
            state.order.append(id)
            if state.order.count > Self.retained, let oldest = state.order.first, state.runs[oldest]?.finished == true {
                state.order.removeFirst()
                state.runs[oldest] = nil
            }
            return id
        }
        return RunRecorder(id: id, runs: self, context: context)
    }

    func append(_ event: RunEvent, to id: String, finishing: Bool) {
        state.withLock { state in
            state.runs[id]?.events.append(event)
            if finishing { state.runs[id]?.finished = true }
        }
    }

    public func events(run id: String, since: Int) throws(RPCError) -> RunEvents.Result {
        let found = state.withLock { $0.runs[id] }
        guard let run = found else {
            throw .notFound("run", id, field: "run", known: state.withLock { Array($0.runs.keys) })
        }
        let events = run.events.filter { ($0.seq ?? 0) > since }
        return RunEvents.Result(run: id, events: events, complete: run.finished)
    }

    /// Cancels by run id or by the name of the model the run will produce.
    public func cancel(run id: String?, name: String?) throws(RPCError) -> RunCancel.Result {
        let found = state.withLock { state -> Run? in
            if let id { return state.runs[id] }
            return state.order.reversed().compactMap { state.runs[$0] }.first { $0.outputName == name && !$0.finished }
                ?? state.order.reversed().compactMap { state.runs[$0] }.first { $0.outputName == name }
        }
        guard let run = found else {
            if id == nil && name == nil { throw .invalidParams("Name the run to cancel: give 'run' or 'name'.", field: "run") }
            let known = state.withLock { Array($0.runs.keys) }
            throw id != nil ? .notFound("run", id!, field: "run", known: known) : .notFound("run producing", name!, field: "name", known: known)
        }
        guard !run.finished else { return RunCancel.Result(run: run.id, cancelled: false) }
        run.cancellation.cancel()
        return RunCancel.Result(run: run.id, cancelled: true)
    }
}
