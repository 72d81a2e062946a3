import BallastML
import BallastStore
import XCTest

final class DatasetFingerprintTests: XCTestCase {
    private func sample(amount: Float = 1.5) -> Dataset {
        Dataset(schema: DatasetSchema(columns: [.numeric(name: "amount"), .categorical(name: "country", levels: ["DE", "FR"])]),
                features: [amount, 1, 0, -2, 0, 1, 0.25, 1, 0], classIndex: [0, 1, 0], classLabels: ["0", "1"], positiveClass: 1)
    }

    /// The reference is Python's `hashlib.blake2b(digest_size=32)` over the same byte stream (each
    /// part as a little-endian UInt64 length then its bytes), so the layout is pinned, not just
    /// self-consistent.
    func testMatchesBlake2bOverTheDocumentedLayout() {
        XCTAssertEqual(DatasetFingerprint.of(sample()), "9391168e3f3d7ead7e19e83862c488539fc4324d8aa83205aef49e3998214884")
    }

    func testOneCellOrOneNameChangesIt() {
        let base = DatasetFingerprint.of(sample())
        XCTAssertEqual(DatasetFingerprint.of(sample()), base)
        XCTAssertNotEqual(DatasetFingerprint.of(sample(amount: 1.5000001)), base)
        var renamed = sample()
        renamed.classLabels = ["0", "fraud"]
        XCTAssertNotEqual(DatasetFingerprint.of(renamed), base)
    }
}
