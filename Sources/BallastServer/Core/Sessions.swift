import BallastProtocol
import BallastTransport
import Foundation
import Synchronization

/// What the daemon remembers about each connected client (keyed by its ZeroMQ routing identity)
/// and about each request still in flight.
///
/// A client that disconnects is forgotten once `gracePeriod` has passed without it coming back
/// (ZeroMQ reconnects a dropped DEALER under the same identity) and once its requests in flight
/// have ended: its work is never dropped, and its results still land in runs and models.
public final class Sessions: Sendable {
    public struct InFlight: Sendable {
        public var method: String
        public var started: Date
        public var cancellation: CancellationFlag
        /// The reply it is owed, so a stopping daemon can answer it whatever the work is doing.
        /// Weak: the work owns the handle, so a handle the work drops unanswered still ends (its
        /// `deinit` answers -32603, which ends the request here); a strong reference would keep
        /// it, and the entry, alive for ever.
        weak var reply: ReplyHandle?
    }

    /// What `begin` made of a request.
    enum Admission {
        case started(CancellationFlag, ReplyHandle)
        /// The same session already has a request with this id in flight.
        case duplicateID
        /// The daemon is stopping (`closeAndCancelAll`): no work starts any more.
        case closed
    }

    private struct Key: Hashable { var session: String; var id: RequestID }

    private struct State {
        var initialized: [String: Initialize.Peer] = [:]
        var inFlight: [Key: InFlight] = [:]
        /// Sessions whose peer disconnected, and when.
        var departed: [String: Date] = [:]
        var closed = false

        /// Forgets the departed sessions whose grace has passed and that have nothing in flight.
        mutating func forgetDeparted(gracePeriod: TimeInterval, now: Date) {
            guard !departed.isEmpty else { return }
            let busy = Set(inFlight.keys.map(\.session))
            for (session, since) in departed where now.timeIntervalSince(since) >= gracePeriod && !busy.contains(session) {
                departed[session] = nil
                initialized[session] = nil
            }
        }
    }

    private let state = Mutex(State())
    /// How long a disconnected session is kept for its client to reconnect under the same identity.
    public let gracePeriod: TimeInterval

    public init(gracePeriod: TimeInterval = 5) { self.gracePeriod = gracePeriod }

    /// The client of `session` disconnected: forget it after the grace period, once its work ends.
    public func peerDeparted(_ session: String, now: Date = Date()) {
        state.withLock { state in
            guard state.initialized[session] != nil else { return }
            state.departed[session] = now
            state.forgetDeparted(gracePeriod: gracePeriod, now: now)
        }
    }

    /// A message arrived from `session`: its client is (back) on line.
    public func peerSeen(_ session: String) {
        state.withLock { state in
            if !state.departed.isEmpty { state.departed[session] = nil }
        }
    }

    public func markInitialized(_ session: String, client: Initialize.Peer) -> Bool {
        state.withLock { state in
            state.forgetDeparted(gracePeriod: gracePeriod, now: Date())
            guard state.initialized[session] == nil else { return false }
            state.initialized[session] = client
            return true
        }
    }

    public func isInitialized(_ session: String) -> Bool {
        state.withLock { $0.initialized[session] != nil }
    }

    /// Whether the client of `session` was seen to disconnect and has not come back, while the
    /// session is still remembered (its grace has not passed, or it has requests in flight).
    func hasDeparted(_ session: String) -> Bool {
        state.withLock { $0.departed[session] != nil }
    }

    /// Sessions remembered now (departed ones past their grace are forgotten first).
    public var count: Int {
        state.withLock { state in
            state.forgetDeparted(gracePeriod: gracePeriod, now: Date())
            return state.initialized.count
        }
    }

    /// Registers a request and the reply it is owed (`reply` is called once, under the lock, and
    /// must not reply there). The caller owns the handle it gets back: the sessions only keep a
    /// weak reference, so dropping it unanswered answers -32603 and ends the request. Refuses a duplicate id, and everything once the daemon is stopping,
    /// so that a stop sees every request it must answer.
    func begin(session: String, id: RequestID, method: String, reply: () -> ReplyHandle) -> Admission {
        state.withLock { state in
            guard !state.closed else { return .closed }
            let key = Key(session: session, id: id)
            guard state.inFlight[key] == nil else { return .duplicateID }
            let flag = CancellationFlag()
            let handle = reply()
            state.inFlight[key] = InFlight(method: method, started: Date(), cancellation: flag, reply: handle)
            return .started(flag, handle)
        }
    }

    /// Stops admitting requests (`begin` answers `.closed` from now on) and cancels those in flight.
    func closeAndCancelAll() {
        state.withLock { state in
            state.closed = true
            for entry in state.inFlight.values { entry.cancellation.cancel() }
        }
    }

    /// Answers every request still in flight with `error`, whatever its work is doing; returns how many.
    @discardableResult
    func abandonAll(with error: RPCError) -> Int {
        // The strong references taken here leave the lock in the array: were one of them the last,
        // releasing it under the lock would run the handle's `deinit`, which ends the request and
        // so takes the lock again.
        let handles = state.withLock { $0.inFlight.values.compactMap(\.reply) }
        // Outside the lock: answering ends the request, which takes the lock.
        return handles.filter { $0.abandon(with: error) }.count
    }

    public func end(session: String, id: RequestID) {
        state.withLock { state in
            state.inFlight.removeValue(forKey: Key(session: session, id: id))
            state.forgetDeparted(gracePeriod: gracePeriod, now: Date())
        }
    }

    /// Sets the cancellation flag of a request in flight; false when there is no such request.
    @discardableResult
    public func cancel(session: String, id: RequestID) -> Bool {
        state.withLock { state in
            guard let entry = state.inFlight[Key(session: session, id: id)] else { return false }
            entry.cancellation.cancel()
            return true
        }
    }

    public var inFlightCount: Int { state.withLock { $0.inFlight.count } }

    public func inFlightSnapshot(now: Date = Date()) -> [Status.InFlightRequest] {
        state.withLock { state in
            state.inFlight.map { key, entry in
                Status.InFlightRequest(session: key.session, id: key.id.json, method: entry.method,
                                       elapsedSeconds: now.timeIntervalSince(entry.started))
            }.sorted { $0.elapsedSeconds > $1.elapsedSeconds }
        }
    }
}
