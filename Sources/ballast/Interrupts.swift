import BallastCLI
import BallastClient
import Foundation
import Synchronization

/// The pipe the SIGINT handler writes to. A signal handler is a C function and captures
/// nothing, so this is a global.
///
/// - Important: written once, in `Interrupts.install()`, before the handler is installed and the
///   watcher thread started (both publish it: `signal` and `Thread.start` order the write before
///   any read); only read afterwards. That makes `nonisolated(unsafe)` sound here.
nonisolated(unsafe) private var interruptPipe: (read: Int32, write: Int32) = (-1, -1)

/// Ctrl-C while a request runs cancels that request, not the client: the signal handler only
/// writes a byte to a pipe; a watcher thread reads it and has the session's `RequestCanceller`
/// hand over the running request, which it cancels with `$/cancelRequest` on the control socket.
/// A second Ctrl-C for the same request stops waiting for it (the daemon may be slow to cancel,
/// or stuck). With no request running, it does what `whenIdle` set (scripts exit; the REPL wakes
/// its line editor).
///
/// Sendable without `@unchecked`: every mutable field sits in the `Mutex`.
final class Interrupts: Sendable {
    static let shared = Interrupts()

    private struct State {
        var installed = false
        var canceller: RequestCanceller?
        var onIdle: (@Sendable () -> Void)?
    }

    private let state = Mutex(State())

    /// Catches SIGINT from now on; Ctrl-C cancels what `canceller` reports running.
    func install(canceller: RequestCanceller) {
        let first = state.withLock { state -> Bool in
            state.canceller = canceller
            if state.installed { return false }
            state.installed = true
            return true
        }
        guard first else { return }
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { return }
        interruptPipe = (fds[0], fds[1])
        signal(SIGINT) { _ in
            var byte: UInt8 = 1
            _ = write(interruptPipe.write, &byte, 1)
        }
        let thread = Thread { [self] in watch() }
        thread.name = "ballast-interrupts"
        thread.start()
    }

    /// What to do on Ctrl-C when no request runs. Set from the main thread, read by the watcher.
    func whenIdle(_ action: @escaping @Sendable () -> Void) {
        state.withLock { $0.onIdle = action }
    }

    private func watch() {
        // Used only on this thread: the control-socket client that sends cancellations.
        var control: Client?
        var byte: UInt8 = 0
        while true {
            let n = read(interruptPipe.read, &byte, 1)
            if n <= 0 { if errno == EINTR { continue }; return }
            let (canceller, onIdle) = state.withLock { ($0.canceller, $0.onIdle) }
            let first = canceller?.cancelWasSent == false
            if let target = canceller?.claim() {
                if first {
                    // Signals do not queue: a second Ctrl-C pressed before the first is handled is
                    // lost. Saying what the first did tells the person when a second one counts.
                    FileHandle.standardError.write(Data("\n^C cancelling; press Ctrl-C again to stop waiting.\n".utf8))
                }
                target.sendCancel(reusing: &control)
            } else {
                onIdle?()
            }
        }
    }
}
