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
final class Turnstile: @unchecked Sendable {
    // @unchecked: `holders` and `line` are only touched while holding `condition`.
    let slots: Int
    let quantum: TimeInterval
    private let condition = NSCondition()
    /// Jobs holding a slot, and since when.
    private var holders: [ObjectIdentifier: Date] = [:]
    /// Jobs waiting for a slot, first come first served.
    private var line: [ObjectIdentifier] = []

    init(slots: Int, quantum: TimeInterval = 0.05) {
        precondition(slots >= 1, "a turnstile needs at least one slot")
        self.slots = slots
        self.quantum = quantum
    }

    /// Returns once `job` holds a slot: at once when it holds one and need not hand it on.
    func takeTurn(_ job: AnyObject, now: Date = Date()) {
        let id = ObjectIdentifier(job)
        condition.lock()
        defer { condition.unlock() }
        if let since = holders[id] {
            guard !line.isEmpty, now.timeIntervalSince(since) >= quantum else { return }
            holders[id] = nil
            line.append(id)
        } else if !line.contains(id) {
            line.append(id)
        }
        grantFreeSlots()
        while holders[id] == nil { condition.wait() }
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
