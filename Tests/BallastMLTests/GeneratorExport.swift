import XCTest
import Foundation
@testable import BallastML

/// Not a check: writes the fraud preset (seeds 0, 1, 2) as raw little-endian float32 features and
/// int32 classes to the folder in `BALLAST_EXPORT`, for Reference/fraud_preset_check.py.
/// Does nothing when the variable is unset.
final class GeneratorExportTests: XCTestCase {
    func testExportFraudPresetWhenAsked() throws {
        guard let folder = ProcessInfo.processInfo.environment["BALLAST_EXPORT"] else { return }
        for seed: UInt64 in [0, 1, 2] {
            let data = try SyntheticData.generate(.fraud(seed: seed))
            try data.features.withUnsafeBytes { Data($0) }.write(to: URL(fileURLWithPath: "\(folder)/X\(seed).bin"))
            try data.classIndex.withUnsafeBytes { Data($0) }.write(to: URL(fileURLWithPath: "\(folder)/y\(seed).bin"))
        }
    }
}
