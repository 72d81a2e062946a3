import Foundation
import XCTest

/// The bounded protocol fuzzer against the real `ballastd` binary. `make test` runs 20,000
/// messages from a fixed seed; `make fuzz` runs over a million (BALLAST_FUZZ_MESSAGES,
/// BALLAST_FUZZ_SEED). A failure names the seed that repeats it.
final class ProtocolFuzzTests: XCTestCase {
    func testMutatedMessagesNeitherCrashNorHangNorExecuteUnsigned() throws {
        let environment = ProcessInfo.processInfo.environment
        var settings = ProtocolFuzzer.Settings()
        settings.messages = environment["BALLAST_FUZZ_MESSAGES"].flatMap { Int($0) } ?? 20_000
        settings.seed = environment["BALLAST_FUZZ_SEED"].flatMap { UInt64($0) } ?? 20_261_130
        let fuzzer = try ProtocolFuzzer(settings: settings)
        do {
            try fuzzer.run()
            print(fuzzer.figures.summary)
        } catch let failure as ProtocolFuzzer.Failure {
            XCTFail(failure.description)
        }
    }
}
