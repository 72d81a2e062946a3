import Synchronization

/// Remembers the signatures of recently accepted messages and refuses a message seen again.
///
/// The memory is bounded: past `capacity` signatures the oldest are forgotten. Signatures cover
/// the whole payload, and requests carry unique ids, so honest clients never repeat one.
public final class ReplayGuard: Sendable {
    private struct State {
        var seen: Set<String> = []
        var order: [String] = []
        var next = 0
    }

    public let capacity: Int
    private let state = Mutex(State())

    public init(capacity: Int = 65_536) {
        precondition(capacity > 0)
        self.capacity = capacity
    }

    /// Records the signature and returns true the first time; returns false for a replay.
    public func admit(_ signature: String) -> Bool {
        state.withLock { state in
            guard !state.seen.contains(signature) else { return false }
            if state.order.count < capacity {
                state.order.append(signature)
            } else {
                state.seen.remove(state.order[state.next])
                state.order[state.next] = signature
                state.next = (state.next + 1) % capacity
            }
            state.seen.insert(signature)
            return true
        }
    }
}
