import Foundation

/// Runs each long job on a thread of its own, so that a job that waits for its turn to compute
/// (`Turnstile`) never keeps another job from starting. At most `limit` threads run jobs; more
/// jobs wait in arrival order for a thread to come free, and the log says so. Threads are made
/// when needed and end after `idleSeconds` without work.
final class JobThreads: @unchecked Sendable {
    // @unchecked: every var below is only touched while holding `condition`.
    let name: String
    let limit: Int
    let idleSeconds: TimeInterval
    private let log: Log
    private let condition = NSCondition()
    private var pending: [@Sendable () -> Void] = []
    private var threads = 0
    private var idle = 0
    private var running = 0
    private var warnedFull = false

    init(name: String, limit: Int, idleSeconds: TimeInterval = 10, log: Log) {
        precondition(limit >= 1, "jobs need at least one thread")
        self.name = name
        self.limit = limit
        self.idleSeconds = idleSeconds
        self.log = log
    }

    func submit(_ job: @escaping @Sendable () -> Void) {
        condition.lock()
        pending.append(job)
        if pending.count > idle && threads < limit {
            threads += 1
            let thread = Thread { [self] in work() }
            thread.name = "ballast.\(name).\(threads)"
            thread.start()
        } else if pending.count > idle && !warnedFull {
            warnedFull = true
            log(.warning, "All \(limit) job threads are busy; \(pending.count - idle) job(s) wait for one in arrival order.")
        }
        condition.signal()
        condition.unlock()
    }

    /// Jobs running and waiting for a thread.
    var load: (running: Int, waiting: Int) {
        condition.lock()
        defer { condition.unlock() }
        return (running, pending.count)
    }

    /// Threads alive now (running a job or idle).
    var threadCount: Int {
        condition.lock()
        defer { condition.unlock() }
        return threads
    }

    private func work() {
        condition.lock()
        while true {
            if !pending.isEmpty {
                let job = pending.removeFirst()
                if pending.isEmpty { warnedFull = false }
                running += 1
                condition.unlock()
                job()
                condition.lock()
                running -= 1
                continue
            }
            idle += 1
            let woken = condition.wait(until: Date().addingTimeInterval(idleSeconds))
            idle -= 1
            if !woken && pending.isEmpty {
                threads -= 1
                condition.unlock()
                return
            }
        }
    }
}
