import BallastClient
import BallastProtocol
import Foundation
import Synchronization

/// Where the bridge runs `repl/*` (protocol/README.md section 11): `repl/execute` on a serial
/// queue, one code at a time in arrival order, with the service's command session; the lookups
/// on another serial queue with the lookup session, so they answer while a code runs. Each
/// request gets exactly one reply, written by whoever settles it first: its worker, or a cancel
/// that finds it still queued.
public final class ReplWorkers: Sendable {
    /// One `repl/*` request, from arrival to its one reply.
    final class Job: Sendable {
        enum Stage { case queued, running, answered }
        let editorID: JSONValue
        let method: String
        let params: JSONValue?
        let stage = Mutex(Stage.queued)
        /// The editor cancelled it while it ran: stop before the next statement.
        let cancelled = Mutex(false)

        init(editorID: JSONValue, method: String, params: JSONValue?) {
            self.editorID = editorID
            self.method = method
            self.params = params
        }
    }

    private let service: ReplService
    private let write: @Sendable (JSONValue) -> Void
    private let commandQueue = DispatchQueue(label: "ballast.repl.commands")
    private let lookupQueue = DispatchQueue(label: "ballast.repl.lookups")
    /// Sends cancels to the daemon's control socket, so that neither the stdio loop nor a job's
    /// lock waits on the network.
    private let cancelQueue = DispatchQueue(label: "ballast.repl.cancels")
    /// Every request not yet answered, by the editor's id (one job an id: `submit` refuses a
    /// second while the first is outstanding).
    private let jobs = Mutex([JSONValue: Job]())
    /// Replies being written: their ids are free already (the editor may reuse one as soon as it
    /// reads the reply), but the bridge must not end before they are out.
    private let replying = Mutex(0)
    /// Whether any request came: the bridge then looks at the daemon once more as it ends.
    private let anyRequest = Mutex(false)
    /// The error every execute gets once the daemon is known to be gone (set once).
    private let gone = Mutex<RPCError?>(nil)

    /// `write` prints one whole message (the bridge's standard output, one line under one lock).
    public init(service: ReplService, write: @escaping @Sendable (JSONValue) -> Void) {
        self.service = service
        self.write = write
    }

    /// Requests not answered yet: the bridge waits for them before it exits.
    public var outstanding: Int { replying.withLock { $0 } + jobs.withLock { $0.count } }

    /// Whether any request was taken (the daemon may have been asked on the service's sessions).
    public var used: Bool { anyRequest.withLock { $0 } }

    /// Whether `editorID` is the id of a request not answered yet.
    public func isOutstanding(_ editorID: JSONValue) -> Bool { jobs.withLock { $0[editorID] != nil } }

    /// The daemon's departure as a running execute found it (-32013), or as the bridge reported
    /// it (`daemonIsGone`); nil while the daemon may still answer. The bridge exits 3 once set.
    public var daemonGone: RPCError? { gone.withLock { $0 } }

    /// Takes a request; false (and nothing done) when a request with `editorID` is still
    /// outstanding: its reply could not be told from this one's.
    @discardableResult
    public func submit(editorID: JSONValue, method: String, params: JSONValue?) -> Bool {
        let job = Job(editorID: editorID, method: method, params: params)
        let taken = jobs.withLock { jobs -> Bool in
            guard jobs[editorID] == nil else { return false }
            jobs[editorID] = job
            return true
        }
        guard taken else { return false }
        anyRequest.withLock { $0 = true }
        if method == ReplService.execute {
            commandQueue.async { [self] in runExecute(job) }
        } else {
            lookupQueue.async { [self] in runLookup(job) }
        }
        return true
    }

    /// `$/cancelRequest` for one of these requests; false when `editorID` is none of them (the
    /// bridge relays the cancel then). A queued execute is answered at once, cancelled with no
    /// outputs; a running one has its waiting request cancelled (a second cancel stops waiting);
    /// one already answered (its reply being written), or a lookup, is left alone.
    public func cancel(_ editorID: JSONValue) -> Bool {
        guard let job = jobs.withLock({ $0[editorID] }) else { return false }
        guard job.method == ReplService.execute else { return true }
        enum Action { case answer, send(RequestCanceller.Target), nothing }
        // Under the job's lock, so that the execute cannot end (and the next one start) between
        // seeing it run and claiming its request: a late cancel never reaches the next cell.
        let action = job.stage.withLock { stage -> Action in
            switch stage {
            case .queued:
                stage = .answered
                return .answer
            case .running:
                job.cancelled.withLock { $0 = true }
                return service.commands.claimCancel().map(Action.send) ?? .nothing
            case .answered:
                return .nothing
            }
        }
        switch action {
        case .answer: reply(job, result: ["outputs": [], "status": "cancelled"])
        case .send(let target): cancelQueue.async { ReplCommands.sendCancel(to: target) }
        case .nothing: break
        }
        return true
    }

    /// The daemon went away (the bridge's watch saw it, with `error` saying how): every queued
    /// execute, and any submitted from now on, is answered with an OUTPUT saying so (status
    /// "error"); a running one ends by itself (its session notices the same).
    public func daemonIsGone(_ error: RPCError) {
        gone.withLock { if $0 == nil { $0 = error } }
        failQueued()
    }

    private func failQueued() {
        let queued = jobs.withLock { $0.values.filter { job in job.stage.withLock { stage in
            guard stage == .queued, job.method == ReplService.execute else { return false }
            stage = .answered
            return true
        } } }
        for job in queued { replyGone(job) }
    }

    private func replyGone(_ job: Job) {
        guard let error = daemonGone else { return }
        let code = (job.params?["code"]?.stringValue) ?? ""
        reply(job, result: ReplCommands.result([ReplCommands.unavailableOutput(code: code, error: error)]))
    }

    private func start(_ job: Job) -> Bool {
        job.stage.withLock { stage in
            guard stage == .queued else { return false }
            stage = .running
            return true
        }
    }

    private func runExecute(_ job: Job) {
        if daemonGone != nil, job.stage.withLock({ stage in
            guard stage == .queued else { return false }
            stage = .answered
            return true
        }) {
            return replyGone(job)
        }
        guard start(job) else { return }
        let params: ReplExecuteParams
        do { params = try ReplExecuteParams(job.params) } catch {
            return reply(job, error: error)
        }
        let result = service.commands.execute(params, isCancelled: { job.cancelled.withLock { $0 } },
                                              progress: params.progressToken.map { token in
                                                  { [write] value in write(Self.progress(token, value)) }
                                              },
                                              made: params.partialResultToken.map { token in
                                                  { [write] output, index in write(Self.progress(token, ["outputs": [output], "index": .int(Int64(index))])) }
                                              })
        // The daemon went away under this execute: the ones queued behind it fail rather than
        // run (the bridge exits 3 once they are answered). Known before this reply is written,
        // so the bridge never sees nothing outstanding and no departure.
        if let error = ReplCommands.daemonUnavailable(in: result) {
            gone.withLock { if $0 == nil { $0 = error } }
        }
        reply(job, result: result)
        if daemonGone != nil { failQueued() }
    }

    /// `$/progress` under an editor's token: work done (`progress_token`) or a partial result
    /// (`partial_result_token`), as in the Language Server Protocol.
    private static func progress(_ token: JSONValue, _ value: JSONValue) -> JSONValue {
        ["jsonrpc": "2.0", "method": "$/progress", "params": ["token": token, "value": value]]
    }

    private func runLookup(_ job: Job) {
        guard start(job) else { return }
        do { reply(job, result: try service.lookup(job.method, job.params)) } catch { reply(job, error: error) }
    }

    private func reply(_ job: Job, result: JSONValue) {
        settle(job, ["jsonrpc": "2.0", "id": job.editorID, "result": result])
    }

    private func reply(_ job: Job, error: RPCError) {
        settle(job, ["jsonrpc": "2.0", "id": job.editorID, "error": error.json])
    }

    /// Forgets `job` (only this job: never another under the same id), so that its id is free
    /// by the time the editor reads the reply, then writes its one reply.
    private func settle(_ job: Job, _ message: JSONValue) {
        job.stage.withLock { $0 = .answered }
        replying.withLock { $0 += 1 }
        jobs.withLock { jobs in
            if jobs[job.editorID] === job { jobs[job.editorID] = nil }
        }
        write(message)
        replying.withLock { $0 -= 1 }
    }
}
