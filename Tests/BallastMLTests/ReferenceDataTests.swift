import Foundation
import XCTest
@testable import BallastML

/// The scikit-learn reference values in these tests were computed by the scripts in `Reference/`
/// on data exported from Swift. These tests pin that data by a fingerprint: if the generator or
/// the fixtures change, they fail, and the references must be made again. With the variables
/// below set, they also export the data for the scripts:
///
///     BALLAST_TRAIN_EXPORT=/tmp/ballast-train swift test --filter ReferenceDataTests   # parity data
///     BALLAST_EXPORT=/tmp/fraud swift test --filter ReferenceDataTests                  # fraud preset
final class ReferenceDataTests: XCTestCase {
    /// FNV-1a over the float32 feature bytes and the int32 class bytes.
    static func fingerprint(_ data: Dataset) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        func mix(_ bytes: UnsafeRawBufferPointer) {
            for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        }
        data.features.withUnsafeBytes(mix)
        data.classIndex.withUnsafeBytes(mix)
        return hash
    }

    func testParityDataIsWhatTheScikitLearnReferencesWereComputedOn() throws {
        let binary = try TrainingFixtures.binary(), multiclass = try TrainingFixtures.multiclass()
        XCTAssertEqual(String(Self.fingerprint(binary), radix: 16), "a3b1ca92011b1a46", "re-export and re-run Reference/sklearn_parity_reference.py")
        XCTAssertEqual(String(Self.fingerprint(multiclass), radix: 16), "29b200362f84aaad", "re-export and re-run Reference/sklearn_parity_reference.py")
        if let folder = ProcessInfo.processInfo.environment["BALLAST_TRAIN_EXPORT"] {
            try TrainingFixtures.write(binary, to: folder, name: "binary")
            try TrainingFixtures.write(multiclass, to: folder, name: "multiclass")
        }
    }

    func testFraudPresetIsWhatThePresetCheckRan() throws {
        let fraud = try SyntheticData.generate(.fraud(seed: 0))
        XCTAssertEqual(String(Self.fingerprint(fraud), radix: 16), "e93f3c6ff86bbcf0", "re-run Reference/fraud_preset_check.py")
        if let folder = ProcessInfo.processInfo.environment["BALLAST_EXPORT"] {
            for seed: UInt64 in [0, 1, 2] {
                let data = try SyntheticData.generate(.fraud(seed: seed))
                try data.features.withUnsafeBytes { Data($0) }.write(to: URL(fileURLWithPath: "\(folder)/X\(seed).bin"))
                try data.classIndex.withUnsafeBytes { Data($0) }.write(to: URL(fileURLWithPath: "\(folder)/y\(seed).bin"))
            }
        }
    }
}
