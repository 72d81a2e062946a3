import Foundation

/// Lets at most `slots` jobs compute at once, and passes the slots round at pass boundaries so a
/// short job is never stuck behind long ones.
///
/// A job asks for its turn at the start of every pass over the data (each mini-batch, each L-BFGS
/// evaluation, each scoring pass: what `ThreadBudget` is asked). A job without a slot waits in
/// line. A job with a slot keeps it while nobody waits, or until it has held it for `quantum`;
/// then it hands the slot to the first job in line and goes to the back of the line itself, so a
/// job waiting for a slot is always served before a job that just used one.
///
/// - Important: a turn is taken between passes, never inside one: the slot changes hands only at
///   the boundaries, and a pass in progress always finishes (or notices its cancellation) first.
///   A job cancelled while it waits in line stops waiting (`takeTurn` returns false).
final class Turnstile: @unchecked Sendable {
    // @unchecked: `holders` and `line` are only touched while holding `condition`.
    let slots: Int
    let quantum: TimeInterval
    /// How often a job waiting in line asks whether it was cancelled.
    let cancellationCheckInterval: TimeInterval
    private let condition = NSCondition()
    /// Jobs holding a slot, and since when.
    private var holders: [ObjectIdentifier: Date] = [:]
    /// Jobs waiting for a slot, first come first served.
    private var line: [ObjectIdentifier] = []

    init(slots: Int, quantum: TimeInterval = 0.05, cancellationCheckInterval: TimeInterval = 0.05) {
        precondition(slots >= 1, "a turnstile needs at least one slot")
        self.slots = slots
        self.quantum = quantum
        self.cancellationCheckInterval = cancellationCheckInterval
    }

    /// Returns true once `job` holds a slot: at once when it holds one and need not hand it on.
    ///
    /// Returns false, without a slot, as soon as `isCancelled` says so while the job waits in line
    /// (asked every `cancellationCheckInterval`, since a cancellation wakes nobody): the job's
    /// next pass then sees the same cancellation at its first check and gives up at once, so a
    /// job cancelled while it waits answers -32800 instead of waiting for a slot it will not use.
    /// A cancelled job that had to hand its slot on does not take it back.
    @discardableResult
    func takeTurn(_ job: AnyObject, isCancelled: () -> Bool = { false }, now: Date = Date()) -> Bool {
        let id = ObjectIdentifier(job)
        condition.lock()
        defer { condition.unlock() }
        if let since = holders[id] {
            guard !line.isEmpty, now.timeIntervalSince(since) >= quantum else { return true }
            holders[id] = nil
            line.append(id)
        } else if !line.contains(id) {
            line.append(id)
        }
        grantFreeSlots()
        while holders[id] == nil {
            if isCancelled() {
                line.removeAll { $0 == id }
                return false
            }
            condition.wait(until: Date().addingTimeInterval(cancellationCheckInterval))
        }
        return true
    }

    /// Gives up `job`'s slot or place in line; the job may come back with `takeTurn`.
    func leave(_ job: AnyObject) {
        let id = ObjectIdentifier(job)
        condition.lock()
        defer { condition.unlock() }
        holders[id] = nil
        line.removeAll { $0 == id }
        grantFreeSlots()
    }

    /// Jobs holding a slot, and jobs waiting for one.
    var occupancy: (computing: Int, waiting: Int) {
        condition.lock()
        defer { condition.unlock() }
        return (holders.count, line.count)
    }

    /// Called with the lock held: the first in line take the free slots.
    private func grantFreeSlots() {
        var granted = false
        while holders.count < slots, !line.isEmpty {
            holders[line.removeFirst()] = Date()
            granted = true
        }
        if granted { condition.broadcast() }
    }
}
