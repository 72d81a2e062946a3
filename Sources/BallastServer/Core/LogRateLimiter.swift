import Foundation
import Synchronization

/// Lets at most one log line per reason through each `interval`, and says how many lines of that
/// reason it held back meanwhile: a peer flooding the daemon with refused messages cannot flood
/// its log too, and the log still tells how much was refused.
///
/// Reasons are a small fixed set (why a message was refused), so the memory is bounded.
final class LogRateLimiter: Sendable {
    private struct Tally {
        var lastLine: Double
        var heldBack: Int
    }

    let interval: Double
    private let now: @Sendable () -> Double
    private let tallies = Mutex([String: Tally]())

    /// `now` returns seconds on any monotonic scale; tests pass a clock of their own.
    init(interval: Double = 1, now: @escaping @Sendable () -> Double = { ProcessInfo.processInfo.systemUptime }) {
        self.interval = interval
        self.now = now
    }

    /// Nil when the line for `reason` is to be held back; else the number held back since the
    /// last line for `reason` that was let through (0 for the first).
    func admit(_ reason: String) -> Int? {
        let time = now()
        return tallies.withLock { tallies in
            guard var tally = tallies[reason] else {
                tallies[reason] = Tally(lastLine: time, heldBack: 0)
                return 0
            }
            defer { tallies[reason] = tally }
            guard time - tally.lastLine >= interval else {
                tally.heldBack += 1
                return nil
            }
            let heldBack = tally.heldBack
            tally = Tally(lastLine: time, heldBack: 0)
            return heldBack
        }
    }
}
