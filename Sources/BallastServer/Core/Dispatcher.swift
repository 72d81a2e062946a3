import BallastProtocol
import BallastTransport
import Foundation

/// Turns verified wire messages into handler calls and handler outcomes into replies.
///
/// Runs on the socket threads, so it only checks, decides and queues: every handler runs on a
/// `WorkQueue`, except the control methods, which are bookkeeping that must answer at once.
final class Dispatcher: Sendable {
    struct Outlets: Sendable {
        /// A reply or notification to a client on the request socket, with the reply's buffers.
        var request: @Sendable (_ identity: Data, _ message: JSONValue, _ buffers: [Data]) -> Void
        var control: @Sendable (_ identity: Data, _ message: JSONValue) -> Void
        var publish: @Sendable (_ topic: String, _ message: JSONValue) -> Void
    }

    let table: MethodTable
    let controlTable: MethodTable
    let sessions: Sessions
    let authenticator: Authenticator
    let lifecycle: Lifecycle
    let ordered: WorkQueue
    let jobs: JobThreads
    let outlets: Outlets
    let log: Log
    /// Refused messages and subscriptions come from peers that may flood: one line per reason a second.
    let refusals = LogRateLimiter()

    init(table: MethodTable, controlTable: MethodTable, sessions: Sessions, authenticator: Authenticator,
         lifecycle: Lifecycle, jobThreads: Int, outlets: Outlets, log: Log) {
        self.table = table
        self.controlTable = controlTable
        self.sessions = sessions
        self.authenticator = authenticator
        self.lifecycle = lifecycle
        self.ordered = WorkQueue(name: "requests", threads: 1)
        self.jobs = JobThreads(name: "jobs", limit: jobThreads, log: log)
        self.outlets = outlets
        self.log = log
    }

    // MARK: Request socket

    func receivedOnRequestSocket(_ frames: [Data]) {
        guard let (identity, message, buffers) = admit(frames, socket: "request", buffersAllowed: true,
                                                       reply: { [outlets] in outlets.request($0, $1, []) }) else { return }
        let session = SessionName.of(identity)
        sessions.peerSeen(session)
        switch message {
        case let .request(id, method, params):
            dispatchRequest(session: session, identity: identity, id: id, method: method, params: params, buffers: buffers)
        case let .notification(method, params):
            if !buffers.isEmpty {
                return log(.warning, "Session \(session) sent the notification '\(method)' with \(buffers.count) buffer(s); notifications carry none, so it is ignored.")
            }
            receivedNotification(session: session, method: method, params: params)
        case let .response(id, _):
            log(.debug, "Session \(session) sent a response (id \(id)) to no request of the daemon; it is ignored.")
        }
    }

    private func dispatchRequest(session: String, identity: Data, id: RequestID, method: String, params: JSONValue,
                                 buffers: [Data]) {
        let reply = { @Sendable (message: JSONValue, buffers: [Data]) in self.outlets.request(identity, message, buffers) }
        func refuse(_ error: RPCError) { reply(Message.response(id: id, outcome: .error(error)).json, []) }

        guard lifecycle.takesWork else { return refuse(.shuttingDown) }
        if method == Initialize.method {
            // Checked here, before the session counts as initialized, so a malformed initialize
            // leaves the session uninitialized; the handler then decodes the same params again.
            let client: Initialize.Peer
            do {
                let typed = try Initialize.Params.decodeChecked(from: params)
                try typed.checkCompatible()
                client = typed.client ?? Initialize.Peer(name: "unnamed")
            }
            catch { return refuse(MethodTable.rpcError(from: error)) }
            guard sessions.markInitialized(session, client: client) else {
                return refuse(.invalidRequest("This session is already initialized; send 'initialize' once per connection."))
            }
        } else if !sessions.isInitialized(session) {
            return refuse(.serverNotInitialized)
        }
        guard let entry = table.entry(method) else {
            if controlTable.entry(method) != nil {
                return refuse(RPCError(code: ErrorCode.methodNotFound,
                                       message: "'\(method)' is served on the control socket, not the request socket.",
                                       data: ["method": .string(method), "socket": "control"]))
            }
            return refuse(.methodNotFound(method))
        }
        let admission = sessions.begin(session: session, id: id, method: method) { [log] in
            ReplyHandle(id: id, method: method, droppedUnanswered: { id, method in
                log(.error, "The request \(id) (\(method)) of session \(session) lost its reply; it was answered -32603.")
                ReplyHandle.assertAnswered(id, method)
            }) { [sessions] message, buffers in
                sessions.end(session: session, id: id)
                reply(message, buffers)
            }
        }
        let cancellation: CancellationFlag, handle: ReplyHandle
        switch admission {
        case .started(let flag, let owed): (cancellation, handle) = (flag, owed)
        case .duplicateID:
            return refuse(.invalidRequest("A request with id \(id) from this session is still in flight; ids must be unique."))
        case .closed: return refuse(.shuttingDown)
        }
        let context = RequestContext(session: session, id: id, cancellation: cancellation,
                                     progressToken: params["progress_token"], notifyClient: { reply($0, []) },
                                     events: EventPublisher(publish: outlets.publish), buffers: RequestBuffers(buffers))
        let run: @Sendable () -> Void = { [log] in
            if cancellation.isCancelled { return handle.fail(.cancelled()) }
            do {
                let answer = try entry.run(params, context)
                handle.succeed(answer.result, buffers: answer.buffers)
            } catch {
                let rpc = MethodTable.rpcError(from: error)
                if rpc.code == ErrorCode.internalError { log(.error, "\(method) (id \(id)) failed: \(error)") }
                handle.fail(rpc)
            }
        }
        switch entry.lane {
        case .immediate: run()
        case .ordered: ordered.submit(run)
        case .jobs: jobs.submit(run)
        }
    }

    /// The request socket's peer with this identity disconnected.
    func peerDisconnected(_ identity: Data) {
        let session = SessionName.of(identity)
        log(.debug, "Session \(session) disconnected; it is forgotten once its requests in flight end.")
        sessions.peerDeparted(session)
    }

    private func receivedNotification(session: String, method: String, params: JSONValue) {
        switch method {
        case Exit.method:
            log(.info, "Session \(session) sent 'exit'; the daemon stops.")
            lifecycle.exitRequested()
        case CancelRequest.method:
            guard let cancel = try? CancelRequest.Params.decodeChecked(from: params), let id = RequestID(cancel.id) else {
                return log(.warning, "Session \(session) sent a $/cancelRequest without a valid id; it is ignored.")
            }
            if !sessions.cancel(session: cancel.session ?? session, id: id) {
                log(.debug, "Session \(session) cancelled request \(id), which is no longer in flight.")
            }
        default:
            log(.debug, "Session \(session) sent the notification '\(method)', which the daemon does not handle; it is ignored.")
        }
    }

    // MARK: Control socket

    func receivedOnControlSocket(_ frames: [Data]) {
        guard let (identity, message, _) = admit(frames, socket: "control", buffersAllowed: false, reply: outlets.control) else { return }
        let session = SessionName.of(identity)
        switch message {
        case let .request(id, method, params):
            let handle = ReplyHandle(id: id, method: method) { [outlets] message, _ in outlets.control(identity, message) }
            guard let entry = controlTable.entry(method) else {
                return handle.fail(RPCError(code: ErrorCode.methodNotFound,
                                            message: "'\(method)' is not a control method (control methods: \(controlTable.methodNames.joined(separator: ", "))).",
                                            data: ["method": .string(method), "socket": "control"]))
            }
            let context = RequestContext(session: session, id: id, cancellation: CancellationFlag(), progressToken: nil,
                                         notifyClient: { _ in }, events: EventPublisher(publish: outlets.publish))
            do { handle.succeed(try entry.run(params, context).result) } catch { handle.fail(MethodTable.rpcError(from: error)) }
        case let .notification(method, params):
            receivedNotification(session: session, method: method, params: params)
        case .response:
            break
        }
    }

    // MARK: Events socket

    /// The events socket has applied (or refused) a subscription: welcome the subscriber on its
    /// topic, or log the refusal. Only applied subscriptions are welcomed.
    func receivedSubscription(_ notice: SubscriptionNotice) {
        switch notice {
        case .accepted(let topic):
            let welcome = Welcome.Params(topic: topic, protocolVersion: ProtocolVersion.current)
            guard let params = try? JSONValue(encoding: welcome) else { return }
            outlets.publish(topic, Message.notification(method: Welcome.method, params: params).json)
        case let .refused(why, disconnected):
            let consequence = disconnected ? "; the peer held more subscriptions than it may and was disconnected" : ""
            logRefusal("subscription: \(why)", "Refused \(why.rawValue) on the events socket\(consequence).")
        }
    }

    /// Logs a refusal unless one of the same reason was logged within the last second; the next
    /// line says how many were held back.
    private func logRefusal(_ reason: String, _ sentence: String) {
        guard let heldBack = refusals.admit(reason) else { return }
        let tail = heldBack == 0 ? "" : " \(heldBack) more like it since the last such line were not logged one by one."
        log(.warning, sentence + tail)
    }

    // MARK: Admission

    /// Verifies framing, signature (over the payload and any buffers) and freshness, then parses.
    /// Messages that fail verification are dropped, counted and logged; messages that verify but
    /// are not valid JSON-RPC are answered. Only the request socket admits buffers after the payload.
    private func admit(_ frames: [Data], socket: String, buffersAllowed: Bool,
                       reply: @escaping @Sendable (Data, JSONValue) -> Void) -> (Data, Message, [Data])? {
        guard let routed = Frames.routed(frames, buffersAllowed: buffersAllowed) else {
            authenticator.count(.malformed)
            let expected = buffersAllowed ? "[signature, payload, buffers…]" : "[signature, payload]"
            logRefusal("malformed on \(socket)",
                       "Dropped a message on the \(socket) socket with \(frames.count) frames instead of \(expected).")
            return nil
        }
        if let rejection = authenticator.check(signature: routed.signature, payload: routed.payload, buffers: routed.buffers) {
            let session = SessionName.of(routed.identity)
            let why = rejection == .replayed ? "it repeats an earlier message (a replay)" : "its signature does not match"
            logRefusal("\(rejection) on \(socket)", "Dropped a message from \(session) on the \(socket) socket unexecuted because \(why).")
            return nil
        }
        switch Message.parse(Array(routed.payload)) {
        case .success(let message):
            return (routed.identity, message, routed.buffers)
        case .failure(let failure):
            reply(routed.identity, Message.errorReply(id: failure.id, failure.error))
            return nil
        }
    }
}
