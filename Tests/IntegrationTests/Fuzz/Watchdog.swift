import Foundation
import Synchronization

/// Ends the test process, naming the seed, when a fuzz run makes no progress for `limit` seconds:
/// a send blocked by a daemon that stopped reading would otherwise hang the test for ever.
final class Watchdog: Sendable {
    private let sent = Atomic<Int>(0)
    private let stopped = Atomic<Bool>(false)

    init(seed: UInt64, limit: Double = 120) {
        Thread.detachNewThread { [self] in
            var last = -1, since = Date()
            while !stopped.load(ordering: .relaxed) {
                Thread.sleep(forTimeInterval: 1)
                let now = sent.load(ordering: .relaxed)
                if now != last { (last, since) = (now, Date()) }
                if Date().timeIntervalSince(since) > limit {
                    fatalError("fuzz seed \(seed): no progress for \(Int(limit)) s after message \(now); the daemon hangs")
                }
            }
        }
    }

    func progress(_ count: Int) { sent.store(count, ordering: .relaxed) }
    func stop() { stopped.store(true, ordering: .relaxed) }
}
