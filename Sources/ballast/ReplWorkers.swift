import BallastCLI
import BallastProtocol
import Foundation
import Synchronization

/// Where the bridge runs `repl/*` (protocol/README.md section 11): `repl/execute` on a serial
/// queue, one code at a time in arrival order, with the service's command session; the lookups
/// on another serial queue with the lookup session, so they answer while a code runs. Each
/// request gets exactly one reply, written by whoever settles it first: its worker, or a cancel
/// that finds it still queued.
final class ReplWorkers: Sendable {
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
    private let out: StdoutLines
    private let commandQueue = DispatchQueue(label: "ballast.repl.commands")
    private let lookupQueue = DispatchQueue(label: "ballast.repl.lookups")
    /// Every request not yet answered, by the editor's id.
    private let jobs = Mutex([JSONValue: Job]())

    init(service: ReplService, out: StdoutLines) {
        self.service = service
        self.out = out
    }

    /// Requests not answered yet: the bridge waits for them before it exits.
    var outstanding: Int { jobs.withLock { $0.count } }

    /// Whether a `repl/execute` is running, waiting on the daemon maybe.
    var executing: Bool { jobs.withLock { $0.values.contains { $0.method == ReplService.execute && $0.stage.withLock { $0 == .running } } } }

    func submit(editorID: JSONValue, method: String, params: JSONValue?) {
        let job = Job(editorID: editorID, method: method, params: params)
        jobs.withLock { $0[editorID] = job }
        if method == ReplService.execute {
            commandQueue.async { [self] in runExecute(job) }
        } else {
            lookupQueue.async { [self] in runLookup(job) }
        }
    }

    /// `$/cancelRequest` for one of these requests; false when `editorID` is none of them (the
    /// bridge relays the cancel then). A queued execute is answered at once, cancelled with no
    /// outputs; a running one has its waiting request cancelled (a second cancel stops waiting).
    func cancel(_ editorID: JSONValue) -> Bool {
        guard let job = jobs.withLock({ $0[editorID] }) else { return false }
        guard job.method == ReplService.execute else { return true }
        let wasQueued = job.stage.withLock { stage -> Bool in
            guard stage == .queued else { return false }
            stage = .answered
            return true
        }
        if wasQueued {
            reply(job, result: ["outputs": [], "status": "cancelled"])
        } else {
            job.cancelled.withLock { $0 = true }
            service.commands.cancel()
        }
        return true
    }

    /// The daemon went away: every queued execute is answered with `error` (an OUTPUT saying
    /// so, status "error"); running ones end by themselves (their session notices the same).
    func failQueued(_ error: RPCError) {
        let queued = jobs.withLock { $0.values.filter { job in job.stage.withLock { stage in
            guard stage == .queued, job.method == ReplService.execute else { return false }
            stage = .answered
            return true
        } } }
        for job in queued {
            let output: JSONValue = ["command": "", "line": 1, "method": nil, "text": .string("error: \(error.message)"),
                                     "html": nil, "charts": [], "result": nil, "error": error.json]
            reply(job, result: ["outputs": [output], "status": "error"])
        }
    }

    private func start(_ job: Job) -> Bool {
        job.stage.withLock { stage in
            guard stage == .queued else { return false }
            stage = .running
            return true
        }
    }

    private func runExecute(_ job: Job) {
        guard start(job) else { return }
        let params: ReplExecuteParams
        do { params = try ReplExecuteParams(job.params) } catch {
            return reply(job, error: error)
        }
        let token = params.progressToken
        let result = service.commands.execute(params, isCancelled: { job.cancelled.withLock { $0 } }, progress: token.map { token in
            { [out] value in
                out.write(["jsonrpc": "2.0", "method": "$/progress", "params": ["token": token, "value": value]])
            }
        })
        reply(job, result: result)
    }

    private func runLookup(_ job: Job) {
        guard start(job) else { return }
        do { reply(job, result: try service.lookup(job.method, job.params)) } catch { reply(job, error: error) }
    }

    private func reply(_ job: Job, result: JSONValue) {
        job.stage.withLock { $0 = .answered }
        out.write(["jsonrpc": "2.0", "id": job.editorID, "result": result])
        jobs.withLock { _ = $0.removeValue(forKey: job.editorID) }
    }

    private func reply(_ job: Job, error: RPCError) {
        job.stage.withLock { $0 = .answered }
        out.write(["jsonrpc": "2.0", "id": job.editorID, "error": error.json])
        jobs.withLock { _ = $0.removeValue(forKey: job.editorID) }
    }
}
