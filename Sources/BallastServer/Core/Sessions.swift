import BallastProtocol
import BallastTransport
import Foundation
import Synchronization

/// What the daemon remembers about each connected client (keyed by its ZeroMQ routing identity)
/// and about each request still in flight.
public final class Sessions: Sendable {
    public struct InFlight: Sendable {
        public var method: String
        public var started: Date
        public var cancellation: CancellationFlag
    }

    private struct Key: Hashable { var session: String; var id: RequestID }

    private struct State {
        var initialized: [String: Initialize.Peer] = [:]
        var inFlight: [Key: InFlight] = [:]
    }

    private let state = Mutex(State())

    public init() {}

    public func markInitialized(_ session: String, client: Initialize.Peer) -> Bool {
        state.withLock { state in
            guard state.initialized[session] == nil else { return false }
            state.initialized[session] = client
            return true
        }
    }

    public func isInitialized(_ session: String) -> Bool {
        state.withLock { $0.initialized[session] != nil }
    }

    public var count: Int { state.withLock { $0.initialized.count } }

    /// Registers a request; false when the same session already has a request with this id in flight.
    public func begin(session: String, id: RequestID, method: String) -> CancellationFlag? {
        state.withLock { state in
            let key = Key(session: session, id: id)
            guard state.inFlight[key] == nil else { return nil }
            let flag = CancellationFlag()
            state.inFlight[key] = InFlight(method: method, started: Date(), cancellation: flag)
            return flag
        }
    }

    public func end(session: String, id: RequestID) {
        _ = state.withLock { $0.inFlight.removeValue(forKey: Key(session: session, id: id)) }
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

    public func cancelAll() {
        state.withLock { state in for entry in state.inFlight.values { entry.cancellation.cancel() } }
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
