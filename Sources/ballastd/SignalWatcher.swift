import Dispatch
import Foundation

/// Turns SIGTERM and SIGINT into a callback on a dispatch queue (never inside a signal handler),
/// and ignores SIGPIPE so a vanished peer cannot kill the daemon.
final class SignalWatcher {
    private let sources: [any DispatchSourceSignal]

    init(_ handler: @escaping @Sendable (String) -> Void) {
        signal(SIGPIPE, SIG_IGN)
        sources = [(SIGTERM, "SIGTERM"), (SIGINT, "SIGINT")].map { number, name in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { handler(name) }
            source.resume()
            return source
        }
    }
}

/// Polls once a second whether a process still exists (editor-launched mode).
enum ParentWatcher {
    static func watch(pid: Int32, onExit: @escaping @Sendable () -> Void) {
        Thread.detachNewThread {
            while kill(pid, 0) == 0 || errno == EPERM { Thread.sleep(forTimeInterval: 1) }
            onExit()
        }
    }
}
