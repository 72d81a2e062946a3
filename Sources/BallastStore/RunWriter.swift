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
///
/// A batch that fails is written again one run at a time, so that one run's bad record does not
/// cost the other runs of the batch theirs; only the records of the runs that still fail are
/// dropped (and reported to `onFailure`).
public final class RunWriter: Sendable {
    public let store: Store
    public let interval: Double
    public let batchLimit: Int
    /// Told of records that could not be written (they are dropped; the runs go on).
    private let onFailure: @Sendable (StoreError) -> Void

    private struct Queue {
        var events: [RunEvent] = []
        /// The batch being written: taken from `events`, not yet committed.
        var inFlight: [RunEvent] = []
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

    /// The records of a run not yet committed (queued or being written), in order. A reader that
    /// takes these first and then reads the store misses none: a record leaves this list only
    /// once committed.
    public func pending(run id: String) -> [RunEvent] {
        queue.withLock { queue in (queue.inFlight + queue.events).filter { $0.run == id } }
    }

    /// Writes every queued record now. (For tests.)
    func flush() throws(StoreError) {
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
                queue.inFlight = queue.events
                return queue.events
            }
            defer { queue.withLock { $0.inFlight = [] } }
            guard !batch.isEmpty || finish != nil else { return }
            queue.withLock { $0.batches += 1 }
            do throws(StoreError) {
                try store.commit(events: batch, finishing: finish)
            } catch {
                guard !batch.isEmpty else { throw error }
                writeRunByRun(batch, after: error)
                // A batch that cannot be written must not cost a finishing run its final row.
                if let finish { try store.commit(events: [], finishing: finish) }
            }
        }
    }

    /// After a failed batch: each run's records in a transaction of their own, so that only the
    /// runs whose records cannot be written lose them.
    private func writeRunByRun(_ batch: [RunEvent], after error: StoreError) {
        var order: [String] = []
        var byRun: [String: [RunEvent]] = [:]
        for event in batch {
            let run = event.run ?? ""
            if byRun[run] == nil { order.append(run) }
            byRun[run, default: []].append(event)
        }
        guard order.count > 1 else { return onFailure(error) }
        for run in order {
            do throws(StoreError) {
                try store.commit(events: byRun[run] ?? [], finishing: nil)
                queue.withLock { $0.batches += 1 }
            } catch {
                onFailure(error)
            }
        }
    }
}
