import BallastClient
import BallastProtocol
import BallastTransport
import Synchronization

/// The request a session is waiting on, so that another thread can cancel it: the terminal's
/// Ctrl-C watcher today, a kernel's interrupt tomorrow. The session marks a request as running
/// for as long as it waits; `claim()` returns it (on every Ctrl-C) and records that a cancellation
/// was asked for, and the caller sends it on the control socket (which answers even while the
/// request socket waits). A second claim for the same request means "stop waiting now": the
/// session gives up on the reply (the daemon may be slow to cancel, or gone).
public final class RequestCanceller: Sendable {
    /// Where the running request went and how the daemon knows it.
    public struct Target: Sendable, Equatable {
        public var info: ConnectionInfo
        public var session: String
        public var id: RequestID

        public init(info: ConnectionInfo, session: String, id: RequestID) {
            self.info = info
            self.session = session
            self.id = id
        }
    }

    private struct State {
        var running: Target?
        var claims = 0
        /// A cancel came while no request ran, from a front door that wants it to stop the next
        /// one (`claimOrArm`); the terminal's Ctrl-C never arms.
        var armed = false
    }

    private let state = Mutex(State())

    public init() {}

    /// Marks a request as running (to be cancelled on demand) for the duration of `body`.
    public func running<T>(_ target: Target, _ body: () throws -> T) rethrows -> T {
        state.withLock { $0 = State(running: target, claims: 0, armed: $0.armed) }
        defer { state.withLock { $0.running = nil } }
        return try body()
    }

    /// The running request, marked as cancelled; nil when none runs.
    public func claim() -> Target? {
        state.withLock { state in
            guard let target = state.running else { return nil }
            state.claims += 1
            return target
        }
    }

    /// `claim`, except that with no request running the cancel is kept for the next request to
    /// start, which then does not start (`takeArmed`): a cancel that falls between two requests
    /// of one command is not lost.
    public func claimOrArm() -> Target? {
        state.withLock { state in
            guard let target = state.running else {
                state.armed = true
                return nil
            }
            state.claims += 1
            return target
        }
    }

    /// Whether a cancel was kept for this request (and forgets it): the request must not start.
    public func takeArmed() -> Bool {
        state.withLock { state in
            defer { state.armed = false }
            return state.armed
        }
    }

    /// Forgets a kept cancel (a new piece of work begins).
    public func disarm() { state.withLock { $0.armed = false } }

    /// Whether a cancellation was claimed for the request that ran last.
    public var cancelWasSent: Bool { state.withLock { $0.claims > 0 } }

    /// Whether the request running now was claimed twice: its waiter should stop waiting.
    public var stopWaiting: Bool { state.withLock { $0.running != nil && $0.claims > 1 } }
}

extension RequestCanceller.Target {
    /// Sends `$/cancelRequest` for this request on the daemon's control socket, through
    /// `client` (made, or made again for another daemon, when needed). Best effort: a request
    /// that ends meanwhile needs no cancelling.
    public func sendCancel(reusing client: inout Client?) {
        if client == nil || client?.info != info { client = try? Client(info) }
        try? client?.controlNotify(CancelRequest.method, params: ["id": id.json, "session": .string(session)])
    }
}
