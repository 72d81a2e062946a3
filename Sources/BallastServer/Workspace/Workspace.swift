import BallastML
import BallastProtocol
import BallastStore
import Foundation
import Synchronization

/// The daemon's shared state, like a notebook kernel's: datasets by name, with the bytes they
/// hold counted against the memory budget (which models share), and leases that keep a dataset
/// in use from being dropped.
public final class Workspace: Sendable {
    /// A dataset and what Ballast knows about where it came from.
    public struct Entry: Sendable {
        public var dataset: Dataset
        /// `generated`, `loaded`, `split`, `fold`, `resampled`, `standardized`.
        public var origin: DatasetOriginName
        /// Missing cells per feature in the source file (zeros when not loaded from a file).
        public var missingPerFeature: [Int]
        /// The dataset it was made from (a split's, fold's, resampling's or standardization's source).
        public var derivedFrom: String? = nil
        /// `DatasetFingerprint.of(dataset)`, taken once when it is stored (runs record it).
        public internal(set) var fingerprint = ""
    }

    private struct State {
        var datasets: [String: Entry] = [:]
        var leases: [String: Int] = [:]
    }

    /// Shared with `Models`: datasets and models count against the same limit.
    public let budget: MemoryBudget
    private let state = Mutex(State())

    public init(memoryBudget: Int) {
        budget = MemoryBudget(limit: memoryBudget)
    }

    public var memoryBudget: Int { budget.limit }

    public var datasetNames: [String] { state.withLock { $0.datasets.keys.sorted() } }

    /// Bytes held by datasets and models together.
    public var bytesUsed: Int { budget.used }

    public func entry(_ name: String, field: String = "dataset") throws(RPCError) -> Entry {
        let found = state.withLock { $0.datasets[name] }
        guard let found else { throw .notFound("dataset", name, field: field, known: datasetNames) }
        return found
    }

    /// The datasets made from the one named `name`, which keep its data when it is replaced.
    public func derived(from name: String) -> [String] {
        state.withLock { state in state.datasets.filter { $0.value.derivedFrom == name }.keys.sorted() }
    }

    /// What a person should hear when storing under `name` (with `stored`, stored at once)
    /// replaces a dataset that others were made from: they still hold the old data.
    public func replacementWarnings(_ name: String, besides stored: [String] = []) -> [String] {
        let children = derived(from: name).filter { !stored.contains($0) }
        guard (try? entry(name)) != nil, !children.isEmpty else { return [] }
        return ["'\(name)' was replaced, but \(children.map { "'\($0)'" }.joined(separator: ", ")) "
                + "\(children.count == 1 ? "was" : "were") made from the data it held and still hold\(children.count == 1 ? "s" : "") it."]
    }

    public func dataset(_ name: String, field: String = "dataset") throws(RPCError) -> Dataset {
        try entry(name, field: field).dataset
    }

    /// Stores datasets under their names, all or none: refused when a name is invalid, when a
    /// dataset being replaced is in use, or when the memory budget would be exceeded.
    /// Returns, per name, whether it replaced an existing dataset.
    @discardableResult
    public func store(_ entries: [(name: String, entry: Entry)]) throws(RPCError) -> [String: Bool] {
        for (name, _) in entries { try Self.validate(name: name) }
        // Hashed before the lock is taken: a pass over the data, about a tenth of a second per 100 MB.
        let entries = entries.map { name, entry in
            var entry = entry
            if entry.fingerprint.isEmpty { entry.fingerprint = DatasetFingerprint.of(entry.dataset) }
            return (name: name, entry: entry)
        }
        return try state.withLock { (state) throws(RPCError) -> [String: Bool] in
            var replaced: [String: Bool] = [:]
            for (name, _) in entries {
                let exists = state.datasets[name] != nil
                replaced[name] = exists
                if exists && state.leases[name, default: 0] > 0 {
                    throw RPCError(code: ErrorCode.conflict,
                                   message: "The dataset '\(name)' is in use by a running job and cannot be replaced now.",
                                   data: ["name": .string(name)])
                }
            }
            let names = entries.map { "'\($0.name)'" }.joined(separator: ", ")
            try budget.hold(Dictionary(entries.map { (.dataset($0.name), $0.entry.dataset.byteCount) }) { _, last in last },
                            doing: entries.count == 1 ? "Keeping the dataset \(names)" : "Keeping the datasets \(names)")
            for (name, entry) in entries { state.datasets[name] = entry }
            return replaced
        }
    }

    public func store(_ name: String, _ entry: Entry) throws(RPCError) -> Bool {
        try store([(name, entry)])[name] ?? false
    }

    /// Removes a dataset; refused while a job holds a lease on it.
    public func drop(_ name: String) throws(RPCError) -> Int {
        try state.withLock { (state) throws(RPCError) -> Int in
            guard let entry = state.datasets[name] else {
                throw .notFound("dataset", name, field: "dataset", known: state.datasets.keys.sorted())
            }
            guard state.leases[name, default: 0] == 0 else {
                throw RPCError(code: ErrorCode.conflict,
                               message: "The dataset '\(name)' is in use by a running job; cancel it or wait for it to finish.",
                               data: ["name": .string(name)])
            }
            state.datasets[name] = nil
            budget.release(.dataset(name))
            return entry.dataset.byteCount
        }
    }

    /// Marks datasets as in use until the returned closure is called.
    public func lease(_ names: [String]) throws(RPCError) -> @Sendable () -> Void {
        try state.withLock { (state) throws(RPCError) in
            for name in names where state.datasets[name] == nil {
                throw .notFound("dataset", name, field: "dataset", known: state.datasets.keys.sorted())
            }
            for name in names { state.leases[name, default: 0] += 1 }
        }
        return { [self] in state.withLock { for name in names { $0.leases[name, default: 1] -= 1 } } }
    }

    /// Names: letters, digits, `_`, `-`, `.`; at most 128 characters; not starting with `.`.
    static func validate(name: String) throws(RPCError) {
        let allowed = name.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
        }
        guard allowed, !name.isEmpty, name.count <= 128, !name.hasPrefix(".") else {
            throw .invalidParams("The name '\(name)' is not allowed: use letters, digits, '_', '-' and '.', at most 128 characters, not starting with '.'.",
                                 field: "name")
        }
    }

    static func megabytes(_ bytes: Int) -> String { MemoryBudget.megabytes(bytes) }
}
