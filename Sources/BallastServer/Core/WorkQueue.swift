import Foundation

/// A fixed set of threads running submitted work in arrival order.
///
/// Handlers run here, never on a socket-owning thread. With one thread, requests run strictly in
/// the order they arrived, which is what a notebook-like session expects.
public final class WorkQueue: @unchecked Sendable {
    // @unchecked: `pending` and `closed` are only touched while holding `condition`.
    private let condition = NSCondition()
    private var pending: [@Sendable () -> Void] = []
    private var closed = false
    private var running = 0
    private let threads: Int

    public init(name: String, threads: Int) {
        precondition(threads > 0)
        self.threads = threads
        for index in 0..<threads {
            let thread = Thread { [self] in work() }
            thread.name = "ballast.\(name).\(index)"
            thread.start()
        }
    }

    public func submit(_ job: @escaping @Sendable () -> Void) {
        condition.lock()
        pending.append(job)
        condition.signal()
        condition.unlock()
    }

    /// Jobs waiting or running.
    public var load: Int {
        condition.lock()
        defer { condition.unlock() }
        return pending.count + running
    }

    /// Lets queued work finish, then ends the threads. Waits at most `timeout` for them.
    @discardableResult
    public func drain(timeout: TimeInterval) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        condition.lock()
        closed = true
        condition.broadcast()
        while (!pending.isEmpty || running > 0) && Date() < deadline {
            _ = condition.wait(until: min(deadline, Date().addingTimeInterval(0.05)))
        }
        let idle = pending.isEmpty && running == 0
        condition.unlock()
        return idle
    }

    private func work() {
        while true {
            condition.lock()
            while pending.isEmpty && !closed { condition.wait() }
            if pending.isEmpty && closed {
                condition.unlock()
                return
            }
            let job = pending.removeFirst()
            running += 1
            condition.unlock()
            job()
            condition.lock()
            running -= 1
            condition.broadcast()
            condition.unlock()
        }
    }
}
