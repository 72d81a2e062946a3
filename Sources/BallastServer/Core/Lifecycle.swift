import Synchronization

/// The daemon's LSP-style lifecycle: serving, then (after `shutdown`) refusing new work, then
/// stopping. Read from every thread; changed by the dispatcher and by signals.
public final class Lifecycle: Sendable {
    public enum Phase: Int, Sendable { case serving, shutdownRequested, stopping }

    private struct State {
        var phase = Phase.serving
        var exitCode: Int32 = 0
    }

    private let state = Mutex(State())
    private let onStop: @Sendable (Int32) -> Void

    init(onStop: @escaping @Sendable (Int32) -> Void) { self.onStop = onStop }

    public var phase: Phase { state.withLock { $0.phase } }
    public var takesWork: Bool { phase == .serving }

    /// LSP `shutdown`: stop taking work, wait for `exit`.
    func requestShutdown() {
        state.withLock { if $0.phase == .serving { $0.phase = .shutdownRequested } }
    }

    /// Begins a graceful stop once; later calls do nothing. LSP `exit` without a prior
    /// `shutdown` ends with status 1.
    func stop(exitCode: Int32) {
        let first = state.withLock { state -> Bool in
            guard state.phase != .stopping else { return false }
            state.phase = .stopping
            state.exitCode = exitCode
            return true
        }
        if first { onStop(exitCode) }
    }

    func exitRequested() {
        stop(exitCode: phase == .shutdownRequested ? 0 : 1)
    }
}
