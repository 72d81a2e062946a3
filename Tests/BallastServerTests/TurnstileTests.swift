import Foundation
import Synchronization
import XCTest
@testable import BallastServer

/// The turnstile's order of service, and the cap on job threads.
final class TurnstileTests: XCTestCase {
    final class Job: Sendable {}

    /// Waits (with a generous bound that only catches a hang) until `condition` holds.
    private func eventually(_ condition: () -> Bool) {
        let deadline = Date().addingTimeInterval(30)
        while !condition() && Date() < deadline { Thread.sleep(forTimeInterval: 0.005) }
    }

    func testAHolderKeepsItsSlotWhileNobodyWaits() {
        let turnstile = Turnstile(slots: 1, quantum: 0)
        let a = Job()
        turnstile.takeTurn(a)
        turnstile.takeTurn(a)
        XCTAssertEqual(turnstile.occupancy.computing, 1)
        XCTAssertEqual(turnstile.occupancy.waiting, 0)
        turnstile.leave(a)
        XCTAssertEqual(turnstile.occupancy.computing, 0)
    }

    /// A job that waits is served before the job that just used the slot, and that job gets the
    /// slot back when the other leaves.
    func testTheSlotPassesToTheJobInLineAtTheHoldersNextTurn() {
        let turnstile = Turnstile(slots: 1, quantum: 0)
        let a = Job(), b = Job()
        let order = Mutex<[String]>([])
        turnstile.takeTurn(a)
        let bDone = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            turnstile.takeTurn(b)
            order.withLock { $0.append("b") }
            turnstile.leave(b)
            bDone.signal()
        }
        eventually { turnstile.occupancy.waiting == 1 }
        XCTAssertEqual(order.withLock { $0 }, [], "b waits while a holds the only slot")
        turnstile.takeTurn(a)
        order.withLock { $0.append("a") }
        XCTAssertEqual(order.withLock { $0 }, ["b", "a"])
        XCTAssertEqual(bDone.wait(timeout: .now() + 30), .success)
        turnstile.leave(a)
    }

    func testAHolderWithinItsQuantumKeepsTheSlotEvenWhenOthersWait() {
        let turnstile = Turnstile(slots: 1, quantum: 3600)
        let a = Job(), b = Job()
        turnstile.takeTurn(a)
        let bServed = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            turnstile.takeTurn(b)
            bServed.signal()
            turnstile.leave(b)
        }
        eventually { turnstile.occupancy.waiting == 1 }
        turnstile.takeTurn(a)
        XCTAssertEqual(turnstile.occupancy.waiting, 1, "a keeps its slot inside its quantum")
        turnstile.leave(a)
        XCTAssertEqual(bServed.wait(timeout: .now() + 30), .success, "leaving hands the slot on")
    }

    /// Two jobs hold both slots for as long as they like (they never come back between passes):
    /// a third, waiting in line, stops waiting once it is cancelled, without a slot, and leaves the
    /// line; without the check it would wait for ever.
    func testAJobCancelledWhileWaitingInLineStopsWaiting() {
        let turnstile = Turnstile(slots: 2, quantum: 0)
        let a = Job(), b = Job(), c = Job()
        turnstile.takeTurn(a)
        turnstile.takeTurn(b)
        let cancellation = CancellationFlag()
        let outcome = Mutex<Bool?>(nil)
        let returned = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            let granted = turnstile.takeTurn(c, isCancelled: { cancellation.isCancelled })
            outcome.withLock { $0 = granted }
            returned.signal()
        }
        eventually { turnstile.occupancy.waiting == 1 }
        XCTAssertEqual(turnstile.occupancy.computing, 2)
        XCTAssertNil(outcome.withLock { $0 }, "c waits while a and b hold both slots")
        cancellation.cancel()
        XCTAssertEqual(returned.wait(timeout: .now() + 30), .success, "the cancelled job stopped waiting")
        XCTAssertEqual(outcome.withLock { $0 }, false, "it has no slot")
        XCTAssertEqual(turnstile.occupancy.waiting, 0, "and is out of the line")
        XCTAssertEqual(turnstile.occupancy.computing, 2)
        turnstile.leave(c)
        turnstile.leave(a)
        turnstile.leave(b)
        XCTAssertEqual(turnstile.occupancy.computing, 0)
    }

    /// The same through the engine's view: a cancelled job's `ThreadBudget` answers while both
    /// slots stay taken.
    func testACancelledJobsBudgetAnswersWithoutItsTurn() {
        let share = ComputeShare(cores: 2, slots: 2, quantum: 0)
        let a = share.enter(cancellation: CancellationFlag()), b = share.enter(cancellation: CancellationFlag())
        _ = a.budget.current
        _ = b.budget.current
        let cancellation = CancellationFlag()
        let c = share.enter(cancellation: cancellation)
        let answered = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            _ = c.budget.current
            answered.signal()
        }
        eventually { share.turnstile.occupancy.waiting == 1 }
        cancellation.cancel()
        XCTAssertEqual(answered.wait(timeout: .now() + 30), .success, "the cancelled job's pass starts (and gives up at once)")
        XCTAssertEqual(share.turnstile.occupancy.computing, 2)
        for job in [c, a, b] { job.leave() }
    }

    /// Many jobs at once never make more threads than the limit; the rest wait their turn and all
    /// run. The jobs are let go one at a time, so exactly one thread is free whenever a waiting
    /// job starts, and the order they start in is the order in which the threads took them.
    func testJobThreadsAreCappedAndTheRestWaitInOrder() {
        let threads = JobThreads(name: "test", limit: 2, idleSeconds: 0.2, log: Log(minimum: .error))
        let release = DispatchSemaphore(value: 0)
        let started = Mutex<[Int]>([])
        let finished = DispatchGroup()
        for index in 0..<6 {
            finished.enter()
            threads.submit {
                started.withLock { $0.append(index) }
                release.wait()
                finished.leave()
            }
        }
        eventually { started.withLock { $0.count } == 2 }
        XCTAssertEqual(threads.threadCount, 2)
        XCTAssertEqual(threads.load.running, 2)
        XCTAssertEqual(threads.load.waiting, 4)
        XCTAssertEqual(Set(started.withLock { $0 }), [0, 1], "the first two jobs start at once, in either order")
        for count in 3...6 {
            release.signal()
            eventually { started.withLock { $0.count } == count }
            XCTAssertEqual(started.withLock { $0.count }, count)
        }
        for _ in 0..<2 { release.signal() }
        XCTAssertEqual(finished.wait(timeout: .now() + 30), .success)
        XCTAssertEqual(Array(started.withLock { $0 }.suffix(4)), [2, 3, 4, 5], "waiting jobs start in arrival order")
        eventually { threads.threadCount == 0 }
        XCTAssertEqual(threads.threadCount, 0, "idle threads end")
    }
}
