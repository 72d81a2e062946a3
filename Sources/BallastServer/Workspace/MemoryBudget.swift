import BallastProtocol
import Foundation
import Synchronization

/// The bytes that datasets and models hold, counted together against one limit
/// (`--memory-budget`).
///
/// `Workspace` and `Models` reserve here while holding their own lock, so a name and its bytes
/// change together; this lock is always taken last and never calls out.
public final class MemoryBudget: Sendable {
    /// What holds bytes: a dataset or a model, by name, or a training's model-to-be, by a token.
    public enum Holder: Hashable, Sendable {
        case dataset(String)
        case model(String)
        case training(String)
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
    func hold(_ sizes: [Holder: Int], doing: String) throws(RPCError) {
        try held.withLock { (held) throws(RPCError) in
            let needed = sizes.values.reduce(0, +)
            let released = sizes.keys.reduce(0) { $0 + (held[$1] ?? 0) }
            let free = max(0, limit - held.values.reduce(0, +) + released)
            guard needed <= free else {
                throw RPCError(code: ErrorCode.resourceLimit,
                               message: "\(doing) needs \(Self.megabytes(needed)), but \(Self.megabytes(free)) of the \(Self.megabytes(limit)) memory budget is free; drop a dataset or a model, or raise --memory-budget.",
                               data: ["bytes_needed": .int(Int64(needed)), "bytes_free": .int(Int64(free)),
                                      "memory_budget": .int(Int64(limit))])
            }
            for (holder, bytes) in sizes { held[holder] = bytes }
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
