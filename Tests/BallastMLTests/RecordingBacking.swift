import Foundation
@testable import BallastML

/// A backing over memory a test owns, which records what it was told to release: the engine's
/// side of a mapped file, without a file (FeatureMatrixTests, RowViewTests).
final class RecordingBacking: FeatureBacking, @unchecked Sendable {
    // @unchecked: `storage` is written only in init; `released` only under `lock`.
    private let storage: UnsafeMutableBufferPointer<Float>
    private let lock = NSLock()
    private var releasedRanges: [Range<Int>] = []

    init(_ values: [Float]) {
        storage = .allocate(capacity: values.count)
        _ = storage.initialize(from: values)
    }

    deinit { storage.deallocate() }

    var base: UnsafePointer<Float> { UnsafePointer(storage.baseAddress ?? UnsafeMutablePointer(bitPattern: 16)!) }
    var count: Int { storage.count }

    func release(_ range: Range<Int>) {
        lock.lock()
        releasedRanges.append(range)
        lock.unlock()
    }

    var released: [Range<Int>] {
        lock.lock()
        defer { lock.unlock() }
        return releasedRanges
    }

    /// Whether every value in `0..<count` was released at least once.
    var releasedEverything: Bool {
        var covered = [Bool](repeating: false, count: count)
        for range in released { for i in range { covered[i] = true } }
        return covered.allSatisfy { $0 }
    }
}
