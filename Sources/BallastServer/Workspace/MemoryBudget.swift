import BallastProtocol
import Foundation
import Synchronization

/// The bytes that datasets and models hold, counted together against one limit
/// (`--memory-budget`).
///
/// `Workspace` and `Models` reserve here while holding their own lock, so a name and its bytes
/// change together; this lock is always taken last and never calls out.
public final class MemoryBudget: Sendable {
    /// What holds bytes: a dataset or a model, by name, a training's model-to-be, by a token, or
    /// an unfinished `dataset/put` upload, by its id.
    public enum Holder: Hashable, Sendable {
        case dataset(String)
        case model(String)
        case training(String)
        case upload(String)
    }

    public let limit: Int
    private let held = Mutex([Holder: Int]())

    public init(limit: Int) {
        self.limit = limit
    }

    /// Bytes held by every dataset and model.
    public var used: Int { held.withLock { $0.values.reduce(0, +) } }

    /// Makes each holder hold the given bytes, in place of what it held before; all or none.
    ///
    /// - Parameter doing: what the bytes are for, as a person says it ("Keeping the model 'm1'").
    /// - Throws: -32011 saying how much is needed and how much is free; nothing changes then.
    ///
    /// - Returns: what each holder held before (nil: nothing), for `putBack` to undo the hold when
    ///   what follows it fails (keeping a model in the store).
    @discardableResult
    func hold(_ sizes: [Holder: Int], doing: String) throws(RPCError) -> [Holder: Int?] {
        try held.withLock { (held) throws(RPCError) -> [Holder: Int?] in
            try check(Self.sum(sizes.values), free: free(held, replacing: sizes.keys), doing: doing)
            var before: [Holder: Int?] = [:]
            for (holder, bytes) in sizes {
                before[holder] = held[holder]
                held[holder] = bytes
            }
            return before
        }
    }

    /// Undoes a `hold`: each holder holds again what it held before it.
    ///
    /// - Important: only its caller may have changed those holders since (holders of a name change
    ///   under a lock of `Models` (its writing lock) or `Workspace`, which the caller still holds).
    func putBack(_ before: [Holder: Int?]) {
        held.withLock { held in
            for (holder, bytes) in before { held[holder] = bytes }
        }
    }

    /// Refuses, before anything is allocated, work that would need `bytes` more than is free
    /// (what `replacing` holds counts as free, as it will be given back).
    func checkRoom(_ bytes: Int, doing: String, replacing: Holder? = nil) throws(RPCError) {
        try held.withLock { (held) throws(RPCError) in
            try check(bytes, free: free(held, replacing: replacing.map { [$0] } ?? []), doing: doing)
        }
    }

    private func free(_ held: [Holder: Int], replacing: some Sequence<Holder>) -> Int {
        let released = Self.sum(replacing.map { held[$0] ?? 0 })
        return max(0, limit - Self.sum(held.values) + released)
    }

    private func check(_ needed: Int, free: Int, doing: String) throws(RPCError) {
        guard needed <= free else {
            throw RPCError(code: ErrorCode.resourceLimit,
                           message: "\(doing) needs \(Self.megabytes(needed)), but \(Self.megabytes(free)) of the \(Self.megabytes(limit)) memory budget is free; drop a dataset or a model, or raise --memory-budget.",
                           data: ["bytes_needed": .int(Int64(needed)), "bytes_free": .int(Int64(free)),
                                  "memory_budget": .int(Int64(limit))])
        }
    }

    /// A product of sizes that saturates at `Int.max`; a negative size counts as absurd too.
    static func product(_ factors: Int...) -> Int {
        factors.reduce(1) { total, factor in
            let (next, overflow) = total.multipliedReportingOverflow(by: factor)
            return overflow || factor < 0 ? .max : next
        }
    }

    /// A sum of byte counts that saturates at `Int.max` (an absurd request is refused, not a trap).
    static func sum(_ counts: some Sequence<Int>) -> Int {
        counts.reduce(0) { total, bytes in
            let (next, overflow) = total.addingReportingOverflow(bytes)
            return overflow ? .max : next
        }
    }

    /// Gives back what `holder` held (nothing when it held nothing).
    func release(_ holder: Holder) {
        _ = held.withLock { $0.removeValue(forKey: holder) }
    }

    /// `12.3 MB`, `4.1 kB` or `512 bytes`: a size as a person reads it.
    static func megabytes(_ bytes: Int) -> String {
        if bytes >= 1_000_000 { return String(format: "%.1f MB", Double(bytes) / 1_000_000) }
        if bytes >= 1_000 { return String(format: "%.1f kB", Double(bytes) / 1_000) }
        return "\(bytes) bytes"
    }
}
