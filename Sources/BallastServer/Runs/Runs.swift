import BallastProtocol
import BallastStore
import Foundation
import Synchronization

/// Every long job the daemon runs. The store keeps each run (its row when it begins, its records
/// in batches through a `RunWriter`, its final row before the reply is sent); this registry
/// keeps only what live runs need: their cancellation flag and how many records they made. A
/// live run's records are read from the store and from the writer's queue (the records not yet
/// committed), so memory holds at most a batch of them, however long the run. Only a run the
/// store could not record keeps its records here, to answer `run/events` until it ends.
///
/// - Important: a store that fails never fails a run nor the daemon: the failure is logged, and
///   the run goes on unrecorded (or with the records that could not be written left out).
public final class Runs: Sendable {
    struct Live {
        var id: String
        var method: String
        var outputName: String?
        var cancellation: CancellationFlag
        var started: Date
        /// How many records it made.
        var eventCount = 0
        /// Its records, only while the store does not hold its row (`recorded` false).
        var unrecordedEvents: [RunEvent] = []
        /// Whether the store holds its row (its records are then queued for the store, not kept here).
        var recorded: Bool
    }

    private struct State {
        var live: [String: Live] = [:]
        var next: Int
    }

    let store: Store
    let writer: RunWriter
    let log: Log
    private let state: Mutex<State>

    /// Numbers new runs after the largest number the store ever gave, so an id is never given
    /// twice, across restarts and deletions too.
    init(store: Store, log: Log, batchInterval: Double = 0.5) {
        self.store = store
        self.log = log
        var largest = 0
        do { largest = try store.largestRunNumber() } catch {
            log(.error, "The store could not say which run ids it gave; new runs are numbered from r1 and may not be kept: \(error)")
        }
        state = Mutex(State(next: Self.after(largest)))
        writer = RunWriter(store: store, interval: batchInterval) { error in
            log(.error, "A batch of run records could not be kept in the store; the runs go on: \(error)")
        }
    }

    /// Registers a run, keeps its row in the store, and returns its recorder.
    func begin(method: String, outputName: String?, details: RunDetails, context: RequestContext) -> RunRecorder {
        // To the millisecond, as the wire shows it: a `since` copied from a listed `started`
        // then finds that run.
        let started = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 * 1_000).rounded() / 1_000)
        let id = state.withLock { state -> String in
            let id = "r\(state.next)"
            state.next = Self.after(state.next)
            state.live[id] = Live(id: id, method: method, outputName: outputName, cancellation: context.cancellation,
                                  started: started, recorded: false)
            return id
        }
        do {
            try store.beginRun(RunStart(id: id, method: method, params: context.params, config: details.config,
                                        datasets: details.datasets, model: details.model, modelType: details.modelType,
                                        loss: details.loss, started: started))
            state.withLock { $0.live[id]?.recorded = true }
        } catch {
            log(.error, "Run \(id) could not be kept in the store; it goes on, unrecorded: \(error)")
        }
        return RunRecorder(id: id, runs: self, context: context)
    }

    /// The number after `number`, never trapping: `Int.max` stays `Int.max` (the store refuses
    /// the id given twice, and the run goes on unrecorded, logged).
    static func after(_ number: Int) -> Int {
        let (next, overflow) = max(number, 0).addingReportingOverflow(1)
        return overflow ? Int.max : next
    }

    /// Keeps a numbered record of a live run: queued for the store (batched), or in memory for a
    /// run the store did not record.
    func append(_ event: RunEvent, to id: String) {
        let recorded = state.withLock { state -> Bool in
            guard state.live[id] != nil else { return false }
            state.live[id]!.eventCount += 1
            if state.live[id]!.recorded { return true }
            state.live[id]!.unrecordedEvents.append(event)
            return false
        }
        if recorded { writer.append(event) }
    }

    /// Writes the run's last records and final row, and forgets it as live. Returns once the
    /// store has committed them: the reply is sent after this.
    func finish(_ id: String, status: RunStatusName, metrics: [String: Double] = [:], result: JSONValue? = nil,
                message: String? = nil) {
        guard let live = state.withLock({ $0.live[id] }) else { return }
        let ended = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 * 1_000).rounded() / 1_000)
        if live.recorded {
            do {
                try writer.finish(RunFinish(id: id, status: status, ended: ended, seconds: ended.timeIntervalSince(live.started),
                                            metrics: metrics, result: result, message: message))
            } catch {
                log(.error, "The end of run \(id) (\(status.rawValue)) could not be kept in the store: \(error)")
            }
        }
        state.withLock { _ = $0.live.removeValue(forKey: id) }
    }

    /// Writes what is queued and stops the writer; the daemon calls it before closing the store.
    func close() {
        writer.close()
    }

    var liveIDs: [String] { state.withLock { Array($0.live.keys) } }

    /// A live run, or nil once it has ended.
    func liveRun(_ id: String) -> Live? { state.withLock { $0.live[id] } }

    /// A run's records after `since`, at most `limit` of them. A live run's are read from the
    /// writer's queue first, then from the store: a record leaves the queue only once committed,
    /// so none is missed between the two reads (one in both is kept once).
    public func events(run id: String, since: Int, limit: Int) throws(RPCError) -> RunEvents.Result {
        let live = state.withLock { $0.live[id] }
        if let live, !live.recorded {
            let events = live.unrecordedEvents.filter { ($0.seq ?? 0) > since }
            return Self.page(run: id, events, limit: limit, complete: false)
        }
        let pending = live == nil ? [] : writer.pending(run: id)
        do {
            if live == nil, try store.run(id: id) == nil { throw notFound(id, field: "run") }
            // One more than asked: whether another page follows.
            var events = try store.events(run: id, since: since, limit: limit + 1)
            let last = events.last?.seq ?? since
            if events.count <= limit {
                events += pending.filter { ($0.seq ?? 0) > last }
            }
            return Self.page(run: id, events, limit: limit, complete: live == nil)
        } catch let error as RPCError {
            throw error
        } catch {
            throw Self.storeFailed(error)
        }
    }

    private static func page(run id: String, _ events: [RunEvent], limit: Int, complete: Bool) -> RunEvents.Result {
        guard events.count > limit else { return RunEvents.Result(run: id, events: events, complete: complete) }
        let page = Array(events.prefix(limit))
        return RunEvents.Result(run: id, events: page, complete: complete, nextSinceSeq: page.last?.seq)
    }

    /// Cancels by run id or by the name of the model the run will produce. A run that has ended
    /// (in this daemon's life or an earlier one) answers `cancelled: false`.
    public func cancel(run id: String?, name: String?) throws(RPCError) -> RunCancel.Result {
        if id == nil && name == nil { throw .invalidParams("Name the run to cancel: give 'run' or 'name'.", field: "run") }
        let live = state.withLock { state -> Live? in
            if let id { return state.live[id] }
            return state.live.values.filter { $0.outputName == name }.max { $0.started < $1.started }
        }
        if let live {
            live.cancellation.cancel()
            return RunCancel.Result(run: live.id, cancelled: true)
        }
        do {
            if let id {
                guard try store.run(id: id) != nil else { throw notFound(id, field: "run") }
                return RunCancel.Result(run: id, cancelled: false)
            }
            var query = RunQuery()
            query.model = name
            query.limit = 1
            guard let ended = try store.listRuns(query).runs.first else {
                throw RPCError.notFound("run producing", name!, field: "name", known: liveIDs)
            }
            return RunCancel.Result(run: ended.id, cancelled: false)
        } catch let error as RPCError {
            throw error
        } catch {
            throw Self.storeFailed(error)
        }
    }

    /// The not-found error for a run id, naming the live runs and the latest kept ones.
    func notFound(_ id: String, field: String) -> RPCError {
        var query = RunQuery()
        query.limit = 20
        let recent = (try? store.listRuns(query).runs.map(\.id)) ?? []
        return .notFound("run", id, field: field, known: Array(Set(liveIDs + recent)))
    }

    static func storeFailed(_ error: any Error) -> RPCError {
        .internalError("The store could not answer: \(error)")
    }
}
