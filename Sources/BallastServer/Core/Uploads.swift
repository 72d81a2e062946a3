import BallastML
import BallastProtocol
import Foundation
import Synchronization

/// The unfinished `dataset/put` uploads: the rows received so far, encoded, held against the
/// memory budget until the last chunk makes them a dataset.
///
/// An upload belongs to the session that began it: another session's upload id is unknown to it.
/// One is discarded by `abort`, after `idleSeconds` without a chunk, or once its session is
/// forgotten (its client disconnected and did not come back within the grace period); `sweep`
/// does the last two, from a timer and before every chunk.
final class Uploads: Sendable {
    struct Upload: Sendable {
        let id: String
        let session: String
        let plan: UploadPlan
        var features: [Float] = []
        var classIndex: [Int32] = []
        var ids: [String]?
        var bytesReceived = 0
        let started: Date
        var lastChunk: Date

        /// Bytes set aside for the announced `total_rows` (their features and classes), held against
        /// the budget from the first chunk on, so that a reservation is never memory the budget
        /// does not see.
        var reservedBytes = 0

        var rows: Int { classIndex.count }
        /// What the rows held so far cost the budget, as the dataset will, or what was set aside for
        /// them when that is more.
        var bytesHeld: Int {
            max(reservedBytes, MemoryBudget.sum([features.count * 4, classIndex.count * 4, idBytes]))
        }

        var idBytes: Int { Dataset.idBytes(ids) }

        mutating func append(_ chunk: UploadChunk) {
            chunk.features.append(to: &features)
            classIndex.append(contentsOf: chunk.classIndex)
            if let more = chunk.ids {
                if ids == nil { ids = [] }
                ids!.append(contentsOf: more)  // in place: a copy per chunk would cost the square of the chunks
            }
            bytesReceived += chunk.bytesReceived
        }
    }

    private struct State {
        var open: [String: Upload] = [:]
        /// Why recently ended uploads ended (id → (session, sentence)), so a late chunk hears why.
        var ended: [String: (session: String, why: String)] = [:]
        var endedOrder: [String] = []

        mutating func end(_ id: String, session: String, why: String) {
            if ended[id] == nil { endedOrder.append(id) }
            ended[id] = (session, why)
            if endedOrder.count > Uploads.endedRemembered {
                ended[endedOrder.removeFirst()] = nil
            }
        }
    }

    static let endedRemembered = 1_024
    /// Open uploads one session may have: each holds its plan (names, levels, classes) outside
    /// the budget, so their number is bounded.
    static let openPerSession = 16

    let budget: MemoryBudget
    let idleSeconds: Double
    /// Whether the daemon still remembers a session (a forgotten one's uploads are discarded).
    private let sessionAlive: @Sendable (String) -> Bool
    private let log: Log
    private let state = Mutex(State())

    init(budget: MemoryBudget, idleSeconds: Double, log: Log, sessionAlive: @escaping @Sendable (String) -> Bool) {
        self.budget = budget
        self.idleSeconds = idleSeconds
        self.sessionAlive = sessionAlive
        self.log = log
        scheduleSweep(every: max(0.2, min(5, idleSeconds / 10)))
    }

    /// Sweeps every `interval` seconds for as long as the uploads live.
    private func scheduleSweep(every interval: Double) {
        DispatchQueue.global(qos: .utility).asyncAfter(deadline: .now() + interval) { [weak self] in
            guard let self else { return }
            sweep()
            scheduleSweep(every: interval)
        }
    }

    /// Opens an upload for `session` (nothing is held until its rows are added); -32602 when the
    /// session already has `openPerSession` open.
    func begin(session: String, plan: UploadPlan, now: Date = Date()) throws(RPCError) -> Upload {
        let open = state.withLock { $0.open.values.count { $0.session == session } }
        guard open < Self.openPerSession else {
            throw RPCError(code: ErrorCode.invalidParams,
                           message: "This session has \(open) uploads open, the most it may; finish one, or abort it with {upload, abort: true}, before beginning another.",
                           data: ["field": "upload", "open_uploads": .int(Int64(open))])
        }
        var bytes = [UInt8](repeating: 0, count: 12)
        for index in bytes.indices { bytes[index] = UInt8.random(in: 0...255) }
        let id = "u-" + bytes.map { String(format: "%02x", $0) }.joined()
        return Upload(id: id, session: session, plan: plan, ids: plan.hasIDs ? [] : nil, started: now, lastChunk: now)
    }

    /// Takes `id` out of the open uploads for its next chunk; `checkIn` puts it back. Chunks run
    /// one at a time (the ordered lane), so nothing else looks for it meanwhile.
    func checkOut(_ id: String, session: String) throws(RPCError) -> Upload {
        sweep()
        let outcome: Result<Upload, RPCError> = state.withLock { state in
            if let upload = state.open[id], upload.session == session {
                state.open[id] = nil
                return .success(upload)
            }
            let why = state.ended[id].flatMap { $0.session == session ? " (\($0.why))" : nil } ?? ""
            return .failure(RPCError(code: ErrorCode.invalidParams,
                                     message: "There is no upload '\(id)' in this session\(why); begin a new one with a first chunk (name, columns, classes).",
                                     data: ["field": "upload", "upload": .string(id)]))
        }
        return try outcome.get()
    }

    /// Makes `upload` hold `bytes` against the budget, in place of what it held (-32011 when they
    /// do not fit; then the budget is left as it was).
    func hold(_ upload: Upload, bytes: Int, adding rows: Int) throws(RPCError) {
        try budget.hold([.upload(upload.id): bytes],
                        doing: "Receiving \(rows) more rows of the dataset '\(upload.plan.name)' (upload \(upload.id), \(upload.rows) rows so far)")
    }

    func checkIn(_ upload: Upload, now: Date = Date()) {
        var upload = upload
        upload.lastChunk = now
        state.withLock { $0.open[upload.id] = upload }
    }

    /// Gives back what `id` held and remembers why it ended.
    func end(_ id: String, session: String, why: String) {
        budget.release(.upload(id))
        state.withLock { state in
            state.open[id] = nil
            state.end(id, session: session, why: why)
        }
    }

    /// Discards the uploads idle for `idleSeconds` and those of forgotten sessions.
    func sweep(now: Date = Date()) {
        let candidates = state.withLock { $0.open.values.map { ($0.id, $0.session, $0.lastChunk, $0.plan.name) } }
        for (id, session, last, name) in candidates {
            let why: String
            if now.timeIntervalSince(last) >= idleSeconds {
                why = "it was discarded after \(Int(idleSeconds)) s without a chunk"
            } else if !sessionAlive(session) {
                why = "it was discarded when its client went away"
            } else {
                continue
            }
            let removed = state.withLock { state -> Bool in
                guard let upload = state.open[id], upload.lastChunk == last else { return false }
                state.open[id] = nil
                state.end(id, session: session, why: why)
                return true
            }
            if removed {
                budget.release(.upload(id))
                log(.info, "The upload \(id) of the dataset '\(name)' (session \(session)): \(why).")
            }
        }
    }

    var openCount: Int { state.withLock { $0.open.count } }

    // MARK: Label column names

    /// The label column's name of each dataset put, by dataset name, with the fingerprint of the
    /// data it names (a dataset replaced since has another).
    private let labels = Mutex([String: (fingerprint: String, label: String)]())

    func rememberLabel(_ label: String, of dataset: String, fingerprint: String) {
        labels.withLock { $0[dataset] = (fingerprint, label) }
    }

    func label(of dataset: String, fingerprint: String) -> String? {
        labels.withLock { $0[dataset].flatMap { $0.fingerprint == fingerprint ? $0.label : nil } }
    }
}
