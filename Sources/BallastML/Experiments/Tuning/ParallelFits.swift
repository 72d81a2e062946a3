import Dispatch
import Synchronization

/// Runs independent jobs (fits) on several threads. Workers take the next job index from a shared
/// counter, so a slow fit never holds up the others, and every result lands in the slot of its
/// index: the results are the same whatever the number of threads or the order jobs finish in.
enum ParallelFits {
    /// `body(i)` for every i in 0..<count on at most `workers` threads; result i in slot i.
    static func run<Result: Sendable>(count: Int, workers: Int, _ body: (Int) -> Result) -> [Result] {
        guard count > 0 else { return [] }
        let threads = max(1, min(workers, count))
        if threads == 1 { return (0..<count).map(body) }
        let slots = UnsafeMutableBufferPointer<Result?>.allocate(capacity: count)
        slots.initialize(repeating: nil)
        defer { slots.deinitialize().deallocate() }
        let next = JobCounter()
        withoutActuallyEscaping(body) { body in
            // Each index is taken by exactly one worker (the atomic counter), so each slot is
            // written by one thread only and read after concurrentPerform has joined them all.
            let shared = UncheckedSendable((body, slots))
            DispatchQueue.concurrentPerform(iterations: threads) { _ in
                while true {
                    let i = next.take()
                    if i >= count { return }
                    shared.value.1[i] = shared.value.0(i)
                }
            }
        }
        return slots.map { $0! }
    }
}

/// Hands out job indices 0, 1, 2, … to whichever thread asks.
final class JobCounter: Sendable {
    private let next = Atomic<Int>(0)
    func take() -> Int { next.add(1, ordering: .relaxed).oldValue }
}

