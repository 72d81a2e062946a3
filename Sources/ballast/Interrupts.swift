import BallastClient
import BallastProtocol
import BallastTransport
import Foundation

nonisolated(unsafe) private var interruptPipe: (read: Int32, write: Int32) = (-1, -1)
/// How many SIGINTs have arrived (bumped in the handler; read by the line editor to tell Ctrl-C from Ctrl-D).
nonisolated(unsafe) private var interruptCount = 0

/// Ctrl-C while a request runs cancels that request, not the client: the signal handler only
/// writes a byte to a pipe; a watcher thread reads it and sends `$/cancelRequest` with this
/// client's session on the control socket (which answers even while the request socket waits).
final class Interrupts: @unchecked Sendable {
    static let shared = Interrupts()

    private let lock = NSLock()
    private var inFlight: (info: ConnectionInfo, session: String, id: RequestID)?
    private var cancelSent = false
    private var interruptedIdle = false
    private var installed = false
    /// What to do on Ctrl-C when no request runs (scripts exit; the REPL lets the line editor handle it).
    var onIdleInterrupt: (@Sendable () -> Void)?

    func install() {
        lock.lock()
        defer { lock.unlock() }
        guard !installed else { return }
        installed = true
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { return }
        interruptPipe = (fds[0], fds[1])
        signal(SIGINT) { _ in
            interruptCount &+= 1
            var byte: UInt8 = 1
            _ = write(interruptPipe.write, &byte, 1)
        }
        let thread = Thread { [self] in watch() }
        thread.name = "ballast-interrupts"
        thread.start()
    }

    static var count: Int { interruptCount }

    /// Marks a request as running (to be cancelled on Ctrl-C) for the duration of `body`.
    func running<T>(_ info: ConnectionInfo, session: String, id: RequestID, _ body: () throws -> T) rethrows -> T {
        lock.lock()
        inFlight = (info, session, id)
        cancelSent = false
        lock.unlock()
        defer {
            lock.lock()
            inFlight = nil
            lock.unlock()
        }
        return try body()
    }

    /// Whether Ctrl-C asked to cancel the request that just ended.
    var cancelWasSent: Bool {
        lock.lock()
        defer { lock.unlock() }
        return cancelSent
    }

    private func watch() {
        var canceller: Client?
        var byte: UInt8 = 0
        while true {
            let n = read(interruptPipe.read, &byte, 1)
            if n <= 0 { if errno == EINTR { continue }; return }
            lock.lock()
            let target = inFlight
            if target != nil { cancelSent = true }
            lock.unlock()
            guard let target else {
                onIdleInterrupt?()
                continue
            }
            if canceller == nil || canceller?.info != target.info { canceller = try? Client(target.info) }
            try? canceller?.controlNotify(CancelRequest.method, params: ["id": target.id.json, "session": .string(target.session)])
        }
    }
}
