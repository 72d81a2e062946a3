import BallastProtocol
import Foundation
import Synchronization

/// Writes runs' records to the store in batches, off the threads that make them: records are
/// queued, and one background thread writes what is queued in one transaction every `interval`
/// seconds, or as soon as `batchLimit` records wait.
///
/// - Important: never one transaction per record. `finish` writes a run's final row in the same
///   transaction as every record still queued, on the caller's thread, and returns only once it
///   is committed: a run acknowledged after `finish` survives a kill -9.
public final class RunWriter: Sendable {
    public let store: Store
    public let interval: Double
    public let batchLimit: Int
    /// Told of a batch that could not be written (its records are dropped; the runs go on).
    private let onFailure: @Sendable (StoreError) -> Void

    private struct Queue {
        var events: [RunEvent] = []
        var closed = false
        var batches = 0
    }
    private let queue = Mutex(Queue())
    /// Held while a batch is taken from the queue and written, so that `finish` returns only after
    /// every batch taken before it is committed.
    private let writing = Mutex(())
    private let wake = DispatchSemaphore(value: 0)
    private let stopped = DispatchSemaphore(value: 0)

    public init(store: Store, interval: Double = 0.5, batchLimit: Int = 256,
                onFailure: @escaping @Sendable (StoreError) -> Void = { _ in }) {
        self.store = store
        self.interval = interval
        self.batchLimit = batchLimit
        self.onFailure = onFailure
        let thread = Thread { [self] in loop() }
        thread.name = "ballast.run-writer"
        thread.start()
    }

    /// Queues a numbered record of a run whose row the store holds.
    public func append(_ event: RunEvent) {
        let full = queue.withLock { queue -> Bool in
            guard !queue.closed else { return false }
            queue.events.append(event)
            return queue.events.count == batchLimit
        }
        if full { wake.signal() }
    }

    /// Writes every queued record and the run's final row in one transaction, and returns once it
    /// is committed.
    public func finish(_ finish: RunFinish) throws(StoreError) {
        try writeQueued(finishing: finish)
    }

    /// Writes every queued record now.
    public func flush() throws(StoreError) {
        try writeQueued(finishing: nil)
    }

    /// Transactions written so far (batches and finishes), for tests and benchmarks.
    public var transactionCount: Int { queue.withLock { $0.batches } }

    /// Writes what is queued and stops the thread. Records queued later are dropped.
    public func close() {
        let first = queue.withLock { queue -> Bool in
            defer { queue.closed = true }
            return !queue.closed
        }
        guard first else { return }
        wake.signal()
        stopped.wait()
    }

    private func loop() {
        while true {
            _ = wake.wait(timeout: .now() + interval)
            let closed = queue.withLock { $0.closed }
            do { try writeQueued(finishing: nil) } catch { onFailure(error) }
            if closed { break }
        }
        stopped.signal()
    }

    private func writeQueued(finishing finish: RunFinish?) throws(StoreError) {
        try writing.withLock { _ throws(StoreError) in
            let batch = queue.withLock { queue -> [RunEvent] in
                defer { queue.events.removeAll(keepingCapacity: true) }
                return queue.events
            }
            guard !batch.isEmpty || finish != nil else { return }
            queue.withLock { $0.batches += 1 }
            do throws(StoreError) {
                try store.commit(events: batch, finishing: finish)
            } catch {
                // A batch that cannot be written must not cost a finishing run its final row.
                guard let finish, !batch.isEmpty else { throw error }
                onFailure(error)
                try store.commit(events: [], finishing: finish)
            }
        }
    }
}
