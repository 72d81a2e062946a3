import XCTest
@testable import BallastServer

/// The cores are split fairly among the running jobs, and split again whenever one enters or leaves.
final class ComputeShareTests: XCTestCase {
    func testSplitIsFairAndAddsUpToTheCores() {
        for cores in 1...12 {
            for jobs in 1...cores {
                let split = ComputeShare.split(cores: cores, jobs: jobs)
                XCTAssertEqual(split.count, jobs)
                XCTAssertEqual(split.reduce(0, +), cores, "\(cores) cores, \(jobs) jobs")
                XCTAssertLessThanOrEqual(split.max()! - split.min()!, 1, "\(cores) cores, \(jobs) jobs")
                XCTAssertEqual(split, split.sorted(by: >), "the remainder goes to the earliest jobs")
            }
        }
        XCTAssertEqual(ComputeShare.split(cores: 8, jobs: 3), [3, 3, 2])
        XCTAssertEqual(ComputeShare.split(cores: 7, jobs: 4), [2, 2, 2, 1])
        XCTAssertEqual(ComputeShare.split(cores: 4, jobs: 0), [])
    }

    func testMoreJobsThanCoresEachGetOne() {
        XCTAssertEqual(ComputeShare.split(cores: 2, jobs: 5), [1, 1, 1, 1, 1])
        XCTAssertEqual(ComputeShare.split(cores: 1, jobs: 2), [1, 1])
    }

    /// The case the old share got wrong: a job that started alone must give up cores when a
    /// second starts, and the second must get them back when the first ends.
    func testSharesRebalanceAsJobsEnterAndLeave() {
        let share = ComputeShare(cores: 4)
        let first = share.enter(cancellation: CancellationFlag())
        XCTAssertEqual(first.threads, 4)
        let second = share.enter(cancellation: CancellationFlag())
        XCTAssertEqual([first.threads, second.threads], [2, 2])
        let third = share.enter(cancellation: CancellationFlag())
        XCTAssertEqual([first.threads, second.threads, third.threads], [2, 1, 1])
        XCTAssertEqual(share.threadCounts, [2, 1, 1])
        first.leave()
        XCTAssertEqual([second.threads, third.threads], [2, 2])
        third.leave()
        XCTAssertEqual(second.threads, 4)
        XCTAssertEqual(second.budget.current, 4, "the engine sees the new count at its next pass")
        second.leave()
        XCTAssertEqual(share.threadCounts, [])
    }

    func testLeavingTwiceChangesNothing() {
        let share = ComputeShare(cores: 6)
        let first = share.enter(cancellation: CancellationFlag())
        let second = share.enter(cancellation: CancellationFlag())
        second.leave()
        second.leave()
        XCTAssertEqual(share.threadCounts, [6])
        XCTAssertEqual(first.threads, 6)
    }

    /// A long seeded sequence of entries and exits: after every step the running jobs hold exactly
    /// the fair split, so never more threads than cores while there are no more jobs than cores.
    func testEverySequenceKeepsTheFairSplit() {
        for cores in [1, 2, 3, 8] {
            let share = ComputeShare(cores: cores)
            var running: [ComputeShare.Share] = []
            var state: UInt64 = 0x9E37_79B9_7F4A_7C15 &* UInt64(cores)
            for _ in 0..<500 {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                let roll = Int(state >> 33)
                if running.isEmpty || (roll % 2 == 0 && running.count < cores + 2) {
                    running.append(share.enter(cancellation: CancellationFlag()))
                } else {
                    running.remove(at: roll % running.count).leave()
                }
                let counts = running.map(\.threads)
                XCTAssertEqual(counts, ComputeShare.split(cores: cores, jobs: running.count))
                XCTAssertEqual(share.threadCounts, counts)
                if (1...cores).contains(running.count) { XCTAssertEqual(counts.reduce(0, +), cores) }
            }
        }
    }

    /// Jobs entering and leaving from many threads at once leave the share empty and whole.
    func testConcurrentEntriesAndExitsBalance() {
        let share = ComputeShare(cores: 4)
        let stayer = share.enter(cancellation: CancellationFlag())
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            for _ in 0..<200 {
                let job = share.enter(cancellation: CancellationFlag())
                XCTAssertGreaterThanOrEqual(job.threads, 1)
                job.leave()
            }
        }
        XCTAssertEqual(share.threadCounts, [4])
        XCTAssertEqual(stayer.threads, 4)
    }
}
