import BallastProtocol
import BallastStore
import BallastTransport
import Foundation
import Synchronization

/// The daemon: asks BallastTransport for its three sockets (request, control, events), writes the
/// connection file, and hands what arrives to the `Dispatcher` until stopped.
///
/// - request: replies and `$/progress` go back on it.
/// - control: on its own thread, for `ping`, `status`, `$/cancelRequest`, `shutdown`.
/// - events: a welcome on every subscription, then whatever is published on the topic.
public final class Server: Sendable {
    public let configuration: ServerConfiguration
    public let started = Date()
    let sessions: Sessions
    let workspace: Workspace
    let models: Models
    let computeShare: ComputeShare
    let spark: SparkSidecar
    private let state = Mutex(Running())
    private let finished = DispatchSemaphore(value: 0)

    private struct Running {
        var info: ConnectionInfo?
        var sockets: ServerSockets?
        var dispatcher: Dispatcher?
        /// Held from before binding until after the connection file is removed.
        var lock: DaemonLock?
        /// The state directory's lock (nil for an ephemeral daemon) and its store (in memory for
        /// an ephemeral daemon), held from before binding until stopped.
        var stateLock: DaemonLock?
        var store: Store?
        /// The runs, recorded in `store`; closed (their last records written) before it.
        var runs: Runs?
        var exitCode: Int32 = 0
        /// Set once the connection file is written; a stop asked for before then (a signal during
        /// start-up) waits in `stopBeforeStart` and is honoured at the end of `start`.
        var serving = false
        var stopBeforeStart: Int32?
    }

    public init(configuration: ServerConfiguration) {
        self.configuration = configuration
        self.sessions = Sessions(gracePeriod: configuration.sessionGraceSeconds)
        self.computeShare = ComputeShare(slots: configuration.jobWorkers)
        self.workspace = Workspace(memoryBudget: configuration.memoryBudgetBytes)
        self.models = Models(budget: workspace.budget)
        self.spark = SparkSidecar(configuration.spark, log: configuration.log)
    }

    var log: Log { configuration.log }

    /// Takes the daemon lock, binds, writes the connection file, and starts serving. Returns what
    /// the file says. Throws, before binding anything, when another daemon serves the same file.
    @discardableResult
    public func start() throws -> ConnectionInfo {
        let config = configuration
        guard config.allowNonLoopback || ServerConfiguration.isLoopback(config.ip) else {
            throw ServerStartError("Refusing to listen on \(config.ip): only loopback addresses are allowed without --allow-remote.")
        }
        let lock: DaemonLock
        do { lock = try DaemonLock(connectionFile: config.connectionFile) } catch {
            if case .held = error { throw ServerStartError("\(error)", exitStatus: 1) }
            throw ServerStartError("\(error)")
        }
        state.withLock { $0.lock = lock }
        do {
            try openStore()
            return try startListening()
        } catch {
            let (stateLock, store, runs) = state.withLock { state in
                defer { (state.lock, state.stateLock, state.store, state.runs) = (nil, nil, nil, nil) }
                return (state.stateLock, state.store, state.runs)
            }
            runs?.close()
            try? store?.close()
            stateLock?.release()
            lock.release()
            throw error
        }
    }

    /// Locks the state directory for this daemon alone and opens its store; an ephemeral daemon
    /// gets a store in memory. A directory another daemon holds exits 1, as a served connection file does;
    /// a store that cannot be used (damaged, newer, unreadable) exits 2, untouched.
    private func openStore() throws {
        guard let directory = configuration.stateDirectory else {
            do {
                let store = try Store.inMemory()
                state.withLock { $0.store = store }
            } catch { throw ServerStartError("\(error)") }
            return
        }
        let stateLock: DaemonLock
        do { stateLock = try DaemonLock(stateDirectory: directory) } catch {
            if case .stateHeld = error { throw ServerStartError("\(error)", exitStatus: 1) }
            throw ServerStartError("\(error)")
        }
        state.withLock { $0.stateLock = stateLock }
        let store: Store
        do { store = try Store(directory: URL(fileURLWithPath: directory)) } catch {
            throw ServerStartError("\(error)")
        }
        state.withLock { $0.store = store }
        if !store.interruptedAtOpen.isEmpty {
            log(.warning, "The previous daemon stopped during \(store.interruptedAtOpen.count) run(s); they are kept as interrupted: \(store.interruptedAtOpen.joined(separator: ", ")).")
        }
        log(.info, "Keeping the workspace in \(store.path).")
        // Row files of disk datasets an earlier daemon left (they are not kept) go now.
        do { _ = try workspace.spill.path(stateDirectory: directory) } catch { log(.warning, error.message) }
        restoreWorkspace(from: store)
    }

    private func startListening() throws -> ConnectionInfo {
        let config = configuration
        if !ServerConfiguration.isLoopback(config.ip) {
            log(.warning, "Listening on \(config.ip), which is not a loopback address: anyone who can reach it and holds the key can drive this daemon.")
        }
        // A fresh key on every start, and ports from flags only: whatever a file left at the path
        // says is never trusted, so a message captured before a restart never verifies after it.
        var info = ConnectionInfo(ip: config.ip, key: MessageSigner.randomKey())
        if let port = config.requestPort { info.requestPort = port }
        if let port = config.controlPort { info.controlPort = port }
        if let port = config.eventPort { info.eventPort = port }
        var options = ServerSockets.Options()
        options.maxMessageBytes = config.maxMessageBytes
        options.heartbeatIntervalMilliseconds = config.heartbeatIntervalMilliseconds
        options.heartbeatTimeoutMilliseconds = config.heartbeatTimeoutMilliseconds
        let sockets = try ServerSockets(binding: info, options: options) { [log] in log(.warning, $0) }
        info = sockets.info
        info.pid = getpid()
        info.protocolVersion = ProtocolVersion.current

        let lifecycle = Lifecycle { [weak self] code in self?.beginStop(exitCode: code) }
        let outlets = Dispatcher.Outlets(
            // Weak: the sockets' loops hold the dispatcher, which holds these outlets.
            request: { [weak sockets] identity, message, buffers in
                sockets?.reply(Data(JSONWriter.data(message)), buffers: buffers, to: identity, on: .request)
            },
            control: { [weak sockets] identity, message in
                sockets?.reply(Data(JSONWriter.data(message)), to: identity, on: .control)
            },
            publish: { [weak sockets] topic, message in
                sockets?.publish(Data(JSONWriter.data(message)), topic: topic)
            })
        let authenticator = Authenticator(signer: info.signer, replayCapacity: config.replayCapacity)
        // The state directory in use is a write root, as the default one is (its store's own
        // files are refused in both).
        let stateRoots = config.stateDirectory.map { config.writeRoots.contains($0) ? [] : [$0] } ?? []
        let writeRoots = WriteRoots(roots: config.writeRoots + stateRoots,
                                    stateDirectories: [config.stateDirectory, StateDirectory.defaultPath].compactMap { $0 })
        let store = state.withLock { $0.store! }
        let runs = Runs(store: store, log: log)
        state.withLock { $0.runs = runs }
        let handlers = Handlers(state: ServerState(
            workspace: workspace, models: models, runs: runs, sessions: sessions, computeShare: computeShare,
            lifecycle: lifecycle, authenticator: authenticator, started: started,
            writeRoots: writeRoots, store: store,
            uploads: Uploads(budget: workspace.budget, idleSeconds: config.uploadIdleSeconds, log: log) { [sessions] session in
                _ = sessions.count   // forgets the sessions whose grace has passed
                return sessions.isInitialized(session)
            },
            spark: spark, log: log, maxMessageBytes: config.maxMessageBytes))
        let dispatcher = Dispatcher(table: handlers.requestTable(), controlTable: handlers.controlTable(),
                                    sessions: sessions, authenticator: authenticator, lifecycle: lifecycle,
                                    jobThreads: config.jobThreadLimit, outlets: outlets, log: log)
        // The file is written before anything is received, so a start that cannot write it has
        // served nobody: the sockets, bound but not started, are closed and the ports freed before
        // the lock is released (`start`). A client that reads the file at once and sends before
        // the sockets start loses nothing: bound sockets queue what arrives until then.
        do {
            try info.write(to: config.connectionFile)
        } catch {
            sockets.stop()
            throw error
        }
        state.withLock {
            $0.info = info
            $0.sockets = sockets
            $0.dispatcher = dispatcher
        }
        sockets.start(ServerSockets.Receivers(request: dispatcher.receivedOnRequestSocket,
                                              control: dispatcher.receivedOnControlSocket,
                                              subscription: dispatcher.receivedSubscription,
                                              peerGone: dispatcher.peerDisconnected))
        let early = state.withLock { state -> Int32? in
            state.serving = true
            return state.stopBeforeStart
        }
        if let early { lifecycle.stop(exitCode: early) }
        log(.info, "Listening on \(info.ip) (request \(info.requestPort), control \(info.controlPort), events \(info.eventPort)); connection file \(config.connectionFile).")
        log(.info, writeRoots.summary)
        return info
    }

    public var connectionInfo: ConnectionInfo? { state.withLock { $0.info } }

    /// The pid of the Spark sidecar while one runs (nil before the first spark fit).
    public var sparkSidecarProcessID: Int32? { spark.processID }

    // MARK: Stopping

    /// Starts a graceful stop (SIGTERM, parent gone, control `shutdown`, `exit`).
    public func requestStop(exitCode: Int32 = 0) {
        let dispatcher = state.withLock { state -> Dispatcher? in
            guard state.serving else {
                state.stopBeforeStart = exitCode
                return nil
            }
            return state.dispatcher
        }
        dispatcher?.lifecycle.stop(exitCode: exitCode)
    }

    /// Answers every request in flight before the sockets close: new requests are refused from the
    /// start, those in flight are cancelled (long work answers -32800 with what it had done), and
    /// whatever has not answered within `stopGraceSeconds` is answered with a shutdown error.
    private func beginStop(exitCode: Int32) {
        Thread.detachNewThread { [self] in
            let (sockets, dispatcher, info, lock, stateLock, store, runs) = state.withLock {
                $0.exitCode = exitCode
                return ($0.sockets, $0.dispatcher, $0.info, $0.lock, $0.stateLock, $0.store, $0.runs)
            }
            sessions.closeAndCancelAll()
            log(.info, "Stopping: cancelled the \(sessions.inFlightCount) request(s) in flight, waiting for their answers.")
            let deadline = Date().addingTimeInterval(configuration.stopGraceSeconds)
            while sessions.inFlightCount > 0 && Date() < deadline {
                Thread.sleep(forTimeInterval: 0.01)
            }
            let abandoned = sessions.abandonAll(with: .stoppedBeforeFinishing)
            if abandoned > 0 {
                log(.warning, "Stopping: \(abandoned) request(s) did not answer within \(configuration.stopGraceSeconds) s; they were answered with a shutdown error.")
            }
            dispatcher?.ordered.drain(timeout: 1)
            spark.stop()
            workspace.spill.removeAll()
            sockets?.stop()
            if let info, let current = try? ConnectionInfo.read(from: configuration.connectionFile), current.pid == info.pid {
                try? FileManager.default.removeItem(atPath: configuration.connectionFile)
            }
            runs?.close()
            workspace.recordUse()
            do { try store?.close() } catch { log(.error, "Closing the store: \(error)") }
            stateLock?.release()
            lock?.release()
            log(.info, "Stopped.")
            finished.signal()
        }
    }

    /// Blocks until the daemon has stopped; returns the process exit status it asks for.
    public func waitUntilStopped() -> Int32 {
        finished.wait()
        finished.signal()
        return state.withLock { $0.exitCode }
    }
}

extension RPCError {
    /// The answer to a request whose work had not ended when the daemon stopped.
    static let stoppedBeforeFinishing = RPCError(
        code: ErrorCode.shuttingDown,
        message: "The daemon stopped before this request finished; its work was abandoned.",
        data: ["reason": "stopped"])
}

public struct ServerStartError: Error, CustomStringConvertible {
    public let description: String
    /// What `ballastd` exits with: 1 when another daemon already serves the connection file, else 2.
    public let exitStatus: Int32
    init(_ description: String, exitStatus: Int32 = 2) {
        self.description = description
        self.exitStatus = exitStatus
    }
}
