import BallastProtocol
import Foundation
import Synchronization

/// The records of one run: each gets the next `seq`, is kept for `run/events`, published on
/// the events socket under `run.<id>`, and sent to the requester as `$/progress` when it asked.
///
/// Reports are coalesced: at most one every `reportInterval` seconds reaches the record (a person
/// reads a few per second); the newest one waiting is flushed before `end`, so the last step is
/// never lost.
public final class RunRecorder: Sendable {
    public let id: String
    private let runs: Runs
    private let context: RequestContext
    private let reportInterval: Double
    private struct State {
        var seq = 0
        var lastReport = Date.distantPast
        var pending: RunEvent?
        var ended = false
    }
    private let state = Mutex(State())

    init(id: String, runs: Runs, context: RequestContext, reportInterval: Double = 0.2) {
        self.id = id
        self.runs = runs
        self.context = context
        self.reportInterval = reportInterval
    }

    public var topic: String { "run.\(id)" }

    public func begin(_ event: RunEvent) {
        record(event)
    }

    /// Whether a report made now would be recorded at once; lets callers skip costly fields otherwise.
    public var isReportDue: Bool {
        state.withLock { Date().timeIntervalSince($0.lastReport) >= reportInterval }
    }

    /// A progress report; dropped in favour of a later one when they come faster than the interval.
    public func report(_ event: RunEvent) {
        let now = Date()
        let due = state.withLock { state -> Bool in
            if now.timeIntervalSince(state.lastReport) >= reportInterval {
                state.lastReport = now
                state.pending = nil
                return true
            }
            state.pending = event
            return false
        }
        if due { record(event) }
    }

    public func end(_ event: RunEvent) {
        if let pending = state.withLock({ state -> RunEvent? in
            defer { state.pending = nil }
            return state.pending
        }) {
            record(pending)
        }
        record(event)
    }

    /// Records `event` as the run's end unless an end was recorded already (a run that threw
    /// before its job said how it ended).
    func endIfOpen(_ event: RunEvent) {
        guard !state.withLock({ $0.ended }) else { return }
        end(event)
    }

    /// Numbers the record, keeps it, publishes it on `run.<id>` and sends it as `$/progress`.
    ///
    /// A record JSON cannot carry (a non-finite figure; the engine reports none) is left out
    /// everywhere before it takes a `seq`, so what `run/events` returns always encodes and its
    /// numbering has no gap.
    private func record(_ event: RunEvent) {
        guard case .object(var json)? = try? JSONValue(encoding: event) else { return }
        var event = event
        let seq = state.withLock { state -> Int in
            state.seq += 1
            return state.seq
        }
        event.run = id
        event.seq = seq
        json["run"] = .string(id)
        json["seq"] = .int(Int64(seq))
        if event.kind == .end { state.withLock { $0.ended = true } }
        runs.append(event, to: id)
        context.events.notify(topic: topic, method: RunEvent.method, params: .object(json))
        context.progress(event)
    }
}
