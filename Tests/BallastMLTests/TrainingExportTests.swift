import XCTest
import Foundation
@testable import BallastML

/// Not a check: writes the parity datasets (and, with `BALLAST_EXPORT_FRAUD=1`, the fraud training
/// split) as raw little-endian float32 features and int32 classes to the folder in
/// `BALLAST_TRAIN_EXPORT`, for Reference/sklearn_parity_reference.py and Reference/speed_reference.py.
/// Does nothing when the variable is unset.
final class TrainingExportTests: XCTestCase {
    func testExportTrainingDataWhenAsked() throws {
        guard let folder = ProcessInfo.processInfo.environment["BALLAST_TRAIN_EXPORT"] else { return }
        try TrainingFixtures.write(TrainingFixtures.binary(), to: folder, name: "binary")
        try TrainingFixtures.write(TrainingFixtures.multiclass(), to: folder, name: "multiclass")
        if ProcessInfo.processInfo.environment["BALLAST_EXPORT_FRAUD"] == "1" {
            try TrainingFixtures.write(TrainingFixtures.fraudTrain(), to: folder, name: "fraud_train")
        }
    }
}
