import BallastML
import Foundation
import Synchronization

/// Shares the cores among the jobs that compute at once, and keeps sharing them as jobs come and
/// go: whenever a job enters or leaves, every running job's thread count is worked out again, so
/// concurrent trainings never put more compute threads on the cores than there are cores (while
/// there are no more jobs than cores), and a job left alone gets every core back.
///
/// The split is fair: each of n jobs gets ⌊cores / n⌋ threads, the cores / n remainder go one each
/// to the jobs that entered first, and every job gets at least 1. A job's engine reads its count at
/// the start of each pass over the data (`ThreadBudget`), so a new count takes effect at the next
/// L-BFGS evaluation or mini-batch. Results do not depend on the thread count, only speed.
///
/// At most `slots` jobs compute at once: at the start of each pass a job also takes its turn at
/// the `Turnstile`, which passes the slots round at those boundaries, so a small training started
/// beside long ones runs within a few passes instead of after them.
final class ComputeShare: Sendable {
    let cores: Int
    let turnstile: Turnstile
    /// The running jobs' shares, in the order they entered.
    private let running = Mutex<[Share]>([])

    init(cores: Int = ThreadBudget.onlineCores, slots: Int = .max, quantum: TimeInterval = 0.05) {
        self.cores = max(1, cores)
        self.turnstile = Turnstile(slots: max(1, slots), quantum: quantum)
    }

    /// Registers a job and rebalances; the job passes `share.budget` to the engine and calls
    /// `share.leave()` when it ends. `cancellation` is the job's: once it is set, the job stops
    /// waiting for its turn (its next pass then gives up at its first check).
    func enter(cancellation: CancellationFlag) -> Share {
        let share = Share(owner: self, cancellation: cancellation)
        running.withLock { shares in
            shares.append(share)
            rebalance(shares)
        }
        return share
    }

    /// The current thread count of each running job, in the order they entered.
    var threadCounts: [Int] {
        running.withLock { shares in shares.map(\.threads) }
    }

    fileprivate func leave(_ share: Share) {
        turnstile.leave(share)
        running.withLock { shares in
            guard let index = shares.firstIndex(where: { $0 === share }) else { return }
            shares.remove(at: index)
            rebalance(shares)
        }
    }

    /// Called with the lock held, so the counts always add up for one set of jobs.
    private func rebalance(_ shares: [Share]) {
        for (index, count) in Self.split(cores: cores, jobs: shares.count).enumerated() {
            shares[index].count.store(count, ordering: .relaxed)
        }
    }

    /// The fair split of `cores` among `jobs` jobs in entry order: ⌊cores / jobs⌋ each, one more
    /// for each of the first `cores % jobs`, and never less than 1.
    static func split(cores: Int, jobs: Int) -> [Int] {
        guard jobs > 0 else { return [] }
        let each = cores / jobs
        let remainder = cores % jobs
        return (0..<jobs).map { max(1, each + ($0 < remainder ? 1 : 0)) }
    }

    /// One running job's part of the cores. Its count changes as other jobs enter and leave.
    final class Share: Sendable {
        fileprivate let count = Atomic<Int>(1)
        private let owner: ComputeShare
        private let cancellation: CancellationFlag

        fileprivate init(owner: ComputeShare, cancellation: CancellationFlag) {
            self.owner = owner
            self.cancellation = cancellation
        }

        /// The threads this job may use now.
        var threads: Int { count.load(ordering: .relaxed) }

        /// What the engine asks before each pass: waits for the job's turn to compute (or until
        /// the job is cancelled), then answers its thread count.
        var budget: ThreadBudget {
            ThreadBudget { [self] in
                // Without a turn only when cancelled: the pass then stops at its first check.
                owner.turnstile.takeTurn(self, isCancelled: { cancellation.isCancelled })
                return threads
            }
        }

        /// Gives the job's threads back to the others; calling it again does nothing.
        func leave() {
            owner.leave(self)
        }
    }
}
