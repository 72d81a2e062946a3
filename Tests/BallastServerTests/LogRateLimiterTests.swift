import Synchronization
import XCTest
@testable import BallastServer

/// Refusals are logged at most once a second per reason, with the count of those held back.
final class LogRateLimiterTests: XCTestCase {
    func testOneLinePerReasonPerIntervalSayingHowManyWereHeldBack() {
        let clock = Mutex(100.0)
        let limiter = LogRateLimiter(interval: 1) { clock.withLock { $0 } }
        XCTAssertEqual(limiter.admit("bad_signature"), 0, "the first line goes through")
        for _ in 0..<500 { XCTAssertNil(limiter.admit("bad_signature")) }
        XCTAssertEqual(limiter.admit("replayed"), 0, "each reason has its own allowance")
        clock.withLock { $0 += 0.999 }
        XCTAssertNil(limiter.admit("bad_signature"))
        clock.withLock { $0 += 0.001 }
        XCTAssertEqual(limiter.admit("bad_signature"), 501, "the next line counts what was held back")
        XCTAssertNil(limiter.admit("bad_signature"))
        clock.withLock { $0 += 60 }
        XCTAssertEqual(limiter.admit("bad_signature"), 1)
        XCTAssertEqual(limiter.admit("replayed"), 0)
    }
}
