import Foundation
import Synchronization

/// Shares the cores among the jobs that compute at once: a job that starts while others run
/// takes its share of the threads, so concurrent trainings do not pile more compute threads on
/// the cores than there are cores, and the socket threads still get a core quickly.
/// Results do not depend on the thread count (the engine's sums are fixed-order), only speed.
final class ComputeShare: Sendable {
    private let running = Mutex(0)
    let cores: Int

    init(cores: Int = ProcessInfo.processInfo.activeProcessorCount) {
        self.cores = max(1, cores)
    }

    /// Registers a job and returns the threads it should use; call `leave` when it ends.
    func enter() -> Int {
        let jobs = running.withLock { count -> Int in
            count += 1
            return count
        }
        return max(1, cores / jobs)
    }

    func leave() {
        running.withLock { $0 -= 1 }
    }
}
