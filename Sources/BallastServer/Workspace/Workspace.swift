import BallastML
import BallastProtocol
import Foundation
import Synchronization

/// The daemon's shared state, like a notebook kernel's: datasets (and, later, models) by name,
/// with the bytes they hold counted against a memory budget.
public final class Workspace: Sendable {
    public let memoryBudget: Int
    private let datasets = Mutex([String: Dataset]())

    public init(memoryBudget: Int) {
        self.memoryBudget = memoryBudget
    }

    public var datasetNames: [String] { datasets.withLock { $0.keys.sorted() } }

    public var bytesUsed: Int { datasets.withLock { $0.values.reduce(0) { $0 + $1.byteCount } } }
}
