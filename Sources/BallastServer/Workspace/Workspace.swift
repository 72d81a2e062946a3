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
        /// `{"method", "params"}` of the request that made it (`DatasetProvenance`), set when it is
        /// stored or restored: `engine: "spark"` reads the CSV a loaded dataset came from.
        var provenance: JSONValue? = nil
        /// The CSV's size and modification time when it was loaded (nil for a dataset not loaded
        /// from a file); recorded with a kept dataset's provenance and restored with it at start.
        var loadedFile: FileStamp? = nil
        /// A disk dataset's row file when its load wrote it into the datasets folder to be kept
        /// (`DatasetKeeper.newRowFile`); nil for a spill file that goes when the daemon stops.
        var keptRowFile: String? = nil
    }

    private struct State {
        var datasets: [String: Entry] = [:]
        var leases: [String: Int] = [:]
        /// When each dataset was last read by a request, for the size policy's least-recently-used
        /// order (written to the store when it evicts, and at stop).
        var lastUsed: [String: Date] = [:]
        /// Datasets an earlier daemon held that did not come back at this start.
        var unavailable: [String: DatasetUnavailable] = [:]
    }

    /// Shared with `Models`: datasets and models count against the same limit. A dataset holds
    /// what it keeps in memory (`Dataset.residentBytes`): all of it, or for a disk dataset its
    /// classes and ids (its features are mapped from its row file).
    public let budget: MemoryBudget
    /// Where disk datasets' row files live.
    public let spill = SpillFolder()
    private let state = Mutex(State())
    /// Keeps datasets in the store (nil for an ephemeral daemon). Its lock is held for the whole
    /// of a `store` or `drop`, so the store's rows change in the order memory does; it is taken
    /// before `state`'s, never inside it.
    private let persisting = Mutex<DatasetKeeper?>(nil)

    public init(memoryBudget: Int) {
        budget = MemoryBudget(limit: memoryBudget)
    }

    public var memoryBudget: Int { budget.limit }

    public var datasetNames: [String] { state.withLock { $0.datasets.keys.sorted() } }

    /// Bytes held by datasets and models together.
    public var bytesUsed: Int { budget.used }

    /// The dataset named `name`; `asUse` (the default) counts the look as a use for the size policy.
    public func entry(_ name: String, field: String = "dataset", asUse: Bool = true) throws(RPCError) -> Entry {
        let (found, unavailable) = state.withLock { state in
            let found = state.datasets[name]
            if found != nil && asUse { state.lastUsed[name] = Date() }
            return (found, state.unavailable[name])
        }
        if let found { return found }
        throw Self.missing(name, field: field, unavailable: unavailable, known: datasetNames)
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

    /// The -32001 for a dataset not held: why it did not come back at this start and how to make
    /// it again when an earlier daemon had it, else the names that are known.
    private static func missing(_ name: String, field: String, unavailable: DatasetUnavailable?, known: [String]) -> RPCError {
        guard let unavailable else { return .notFound("dataset", name, field: field, known: known) }
        return RPCError(code: ErrorCode.notFound, message: "The dataset '\(name)' did not come back at this start: \(unavailable.message)",
                        data: ["field": .string(field), "name": .string(name), "reason": .string(unavailable.reason.rawValue),
                               "provenance": unavailable.provenance ?? .null])
    }

    public func dataset(_ name: String, field: String = "dataset") throws(RPCError) -> Dataset {
        try entry(name, field: field).dataset
    }

    /// Stores datasets under their names, all or none: refused when a name is invalid, when a
    /// dataset being replaced is in use, when the memory budget would be exceeded, or when the
    /// store cannot record them. Returns, per name, whether it replaced an existing dataset.
    ///
    /// On a daemon with a state directory, what `provenance` made is recorded with it, and kept
    /// (unless its request said `keep: false`) as column files written before this returns. The
    /// rows are committed before the datasets go into memory: when the store fails, nothing
    /// changes (memory, budget, rows, files) and the error says why (-32603 `store_failed`,
    /// -32011 `disk_full`), so a restart never brings back older data under a name a reply said
    /// was replaced.
    @discardableResult
    func store(_ entries: [(name: String, entry: Entry)], madeBy provenance: DatasetProvenance) throws(RPCError) -> [String: Bool] {
        for (name, _) in entries { try Self.validate(name: name) }
        // Hashed before the lock is taken: a pass over the data, about a tenth of a second per 100 MB.
        let entries = entries.map { name, entry in
            var entry = entry
            if entry.fingerprint.isEmpty { entry.fingerprint = DatasetFingerprint.of(entry.dataset) }
            if entry.provenance == nil { entry.provenance = ["method": .string(provenance.method), "params": provenance.params] }
            return (name: name, entry: entry)
        }
        return try persisting.withLock { (keeper) throws(RPCError) -> [String: Bool] in
            guard let keeper else { return try storeInMemory(entries, committing: {}) }
            let sourceFingerprints = state.withLock { state in
                Dictionary(provenance.sources.compactMap { name in state.datasets[name].map { (name, $0.fingerprint) } }) { a, _ in a }
            }
            // A disk dataset is never copied into a column file (its rows may be far larger than
            // memory): the row file its load wrote into the datasets folder is what is kept.
            let written = keeper.keeps(provenance.keep)
                ? try keeper.writeFiles(entries.filter { !$0.entry.dataset.features.isBacked })
                    .merging(keeper.adoptRowFiles(entries)) { columns, _ in columns } : [:]
            var replacedFiles: [String] = []
            let replaced: [String: Bool]
            do throws(RPCError) {
                replaced = try storeInMemory(entries) { () throws(RPCError) in
                    replacedFiles = try keeper.record(entries, madeBy: provenance, written: written,
                                                      sourceFingerprints: sourceFingerprints)
                }
            } catch {
                keeper.discard(written)
                throw error
            }
            keeper.settle(removing: replacedFiles, lastUsed: state.withLock { $0.lastUsed }, protecting: Set(entries.map(\.name)))
            return replaced
        }
    }

    /// Checks the leases and holds the budget, then `commit`s (records the rows in the store)
    /// and only then puts the datasets in memory; when `commit` throws, the budget is given back
    /// and nothing changed.
    ///
    /// - Important: `commit` runs under the state lock, so no reader sees a dataset the store
    ///   does not have and no lease lands between the check and the change. It is one synced
    ///   commit of a few small rows (provenance, never data: the column files are written
    ///   before the lock is taken).
    private func storeInMemory(_ entries: [(name: String, entry: Entry)],
                               committing commit: () throws(RPCError) -> Void) throws(RPCError) -> [String: Bool] {
        try state.withLock { (state) throws(RPCError) -> [String: Bool] in
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
            let before = try budget.hold(Dictionary(entries.map { (.dataset($0.name), $0.entry.dataset.residentBytes) }) { _, last in last },
                                         doing: entries.count == 1 ? "Keeping the dataset \(names)" : "Keeping the datasets \(names)")
            do throws(RPCError) { try commit() } catch {
                budget.putBack(before)
                throw error
            }
            let now = Date()
            for (name, entry) in entries {
                state.datasets[name] = entry
                state.lastUsed[name] = now
                state.unavailable[name] = nil
            }
            return replaced
        }
    }

    func store(_ name: String, _ entry: Entry, madeBy provenance: DatasetProvenance) throws(RPCError) -> Bool {
        try store([(name, entry)], madeBy: provenance)[name] ?? false
    }

    /// Removes a dataset, its column file and its row in the store; refused while a job holds a
    /// lease on it. The store forgets it first: when the store fails, the dataset stays. A dataset
    /// that did not come back at this start is forgotten (0 bytes freed).
    public func drop(_ name: String) throws(RPCError) -> Int {
        try persisting.withLock { (keeper) throws(RPCError) -> Int in
            let held = try state.withLock { (state) throws(RPCError) -> Bool in
                guard state.datasets[name] != nil else {
                    if state.unavailable[name] != nil { return false }
                    throw .notFound("dataset", name, field: "dataset", known: state.datasets.keys.sorted())
                }
                guard state.leases[name, default: 0] == 0 else {
                    throw RPCError(code: ErrorCode.conflict,
                                   message: "The dataset '\(name)' is in use by a running job; cancel it or wait for it to finish.",
                                   data: ["name": .string(name)])
                }
                return true
            }
            try keeper?.forget(name)
            let entry = state.withLock { state in
                state.unavailable[name] = nil
                state.lastUsed[name] = nil
                return state.datasets.removeValue(forKey: name)
            }
            guard held, let entry else { return 0 }
            budget.release(.dataset(name))
            return entry.dataset.residentBytes
        }
    }

    // MARK: Kept across restarts

    /// From now on datasets are recorded (and kept) in the store through `keeper`. Set once, at
    /// start, after the datasets kept by the previous daemon are back (`restore`).
    func keep(with keeper: DatasetKeeper) {
        persisting.withLock { $0 = keeper }
    }

    /// Whether a request's `keep` keeps what it makes on this daemon (never on an ephemeral one).
    func keeps(_ asked: Bool?) -> Bool {
        persisting.withLock { $0?.keeps(asked) ?? false }
    }

    /// Where a disk load of `name` writes its row file: into the datasets folder when the
    /// dataset will be kept (`kept` is its name there), else into the spill folder.
    func newRowFile(for name: String, keep: Bool?, stateDirectory: String?) throws(RPCError) -> (path: String, kept: String?) {
        if let keeper = persisting.withLock({ $0 }), keeper.keeps(keep) {
            let made = try keeper.newRowFile(for: name)
            return (made.path, made.file)
        }
        return (try spill.newFile(for: name, stateDirectory: stateDirectory), nil)
    }

    /// Removes row files written into the datasets folder for datasets that were not stored
    /// after all (their mappings stay readable until the datasets go).
    func removeKeptRowFiles(_ files: [String]) {
        guard !files.isEmpty else { return }
        persisting.withLock { $0 }?.remove(files: files)
    }

    /// Puts back a dataset the store kept, counted against the memory budget but not written again.
    func restore(_ name: String, _ entry: Entry, lastUsed: Date) throws(RPCError) {
        try state.withLock { (state) throws(RPCError) in
            try budget.hold([.dataset(name): entry.dataset.residentBytes], doing: "Restoring the dataset '\(name)'")
            state.datasets[name] = entry
            state.lastUsed[name] = lastUsed
        }
    }

    /// Datasets an earlier daemon held that did not come back, as `dataset/list` reports them.
    var unavailable: [DatasetUnavailable] {
        get { state.withLock { $0.unavailable.values.sorted { $0.name < $1.name } } }
    }

    func setUnavailable(_ datasets: [DatasetUnavailable]) {
        state.withLock { state in for dataset in datasets { state.unavailable[dataset.name] = dataset } }
    }

    /// Writes when each dataset was last used to the store (at stop), so the size policy's order
    /// survives a restart.
    func recordUse() {
        persisting.withLock { keeper in keeper?.recordUse(state.withLock { $0.lastUsed }) }
    }

    /// Marks datasets as in use until the returned closure is called.
    public func lease(_ names: [String]) throws(RPCError) -> @Sendable () -> Void {
        try state.withLock { (state) throws(RPCError) in
            for name in names where state.datasets[name] == nil {
                throw Self.missing(name, field: "dataset", unavailable: state.unavailable[name], known: state.datasets.keys.sorted())
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
