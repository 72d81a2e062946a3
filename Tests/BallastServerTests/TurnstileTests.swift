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

    /// Many jobs at once never make more threads than the limit; the rest wait their turn and all run.
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
        eventually { threads.load.running == 2 }
        XCTAssertEqual(threads.threadCount, 2)
        XCTAssertEqual(threads.load.waiting, 4)
        for _ in 0..<6 { release.signal() }
        XCTAssertEqual(finished.wait(timeout: .now() + 30), .success)
        XCTAssertEqual(started.withLock { $0 }.count, 6)
        XCTAssertEqual(Array(started.withLock { $0 }.suffix(4)), [2, 3, 4, 5], "waiting jobs start in arrival order")
        eventually { threads.threadCount == 0 }
        XCTAssertEqual(threads.threadCount, 0, "idle threads end")
    }
}
