import BallastProtocol
import BallastTransport
import Foundation
import Synchronization
import ZeroMQ

/// The daemon: binds its three sockets, writes the connection file, serves until stopped.
///
/// - request: ROUTER, one DEALER per client; replies and `$/progress` go back on it.
/// - control: ROUTER on its own thread, for `ping`, `status`, `$/cancelRequest`, `shutdown`.
/// - events: XPUB; a welcome on every subscription, then whatever is published on the topic.
public final class Server: Sendable {
    public let configuration: ServerConfiguration
    public let started = Date()
    let sessions = Sessions()
    let workspace: Workspace
    let runs = Runs()
    let models: Models
    let computeShare = ComputeShare()
    private let state = Mutex(Running())
    private let finished = DispatchSemaphore(value: 0)

    private struct Running {
        var info: ConnectionInfo?
        var requestLoop: SocketLoop?
        var controlLoop: SocketLoop?
        var dispatcher: Dispatcher?
        var exitCode: Int32 = 0
        /// Set once the connection file is written; a stop asked for before then (a signal during
        /// start-up) waits in `stopBeforeStart` and is honoured at the end of `start`.
        var serving = false
        var stopBeforeStart: Int32?
    }

    public init(configuration: ServerConfiguration) {
        self.configuration = configuration
        self.workspace = Workspace(memoryBudget: configuration.memoryBudgetBytes)
        self.models = Models(budget: workspace.budget)
    }

    var log: Log { configuration.log }

    /// Binds, writes the connection file, and starts serving. Returns what the file says.
    @discardableResult
    public func start() throws -> ConnectionInfo {
        let config = configuration
        guard config.allowNonLoopback || ServerConfiguration.isLoopback(config.ip) else {
            throw ServerStartError("Refusing to listen on \(config.ip): only loopback addresses are allowed without --allow-remote.")
        }
        if !ServerConfiguration.isLoopback(config.ip) {
            log(.warning, "Listening on \(config.ip), which is not a loopback address: anyone who can reach it and holds the key can drive this daemon.")
        }
        var info = ConnectionInfo(ip: config.ip)
        if FileManager.default.fileExists(atPath: config.connectionFile) {
            // A client provisioned the ports and key (as Jupyter's kernel manager does).
            info = try ConnectionInfo.read(from: config.connectionFile)
            guard config.allowNonLoopback || ServerConfiguration.isLoopback(info.ip) else {
                throw ServerStartError("The connection file asks for \(info.ip), which is not loopback; pass --allow-remote to accept it.")
            }
        }
        if let port = config.requestPort { info.requestPort = port }
        if let port = config.controlPort { info.controlPort = port }
        if let port = config.eventPort { info.eventPort = port }
        let context = try Context()
        let request = try makeRouter(context, endpoint: info.requestEndpoint)
        let control = try makeRouter(context, endpoint: info.controlEndpoint)
        let events = try Socket(context, .xpub)
        try events.setXPubVerbose(true)
        try events.setSendHighWaterMark(100_000)
        try events.bind(info.eventEndpoint)

        info.requestPort = try Self.port(of: request)
        info.controlPort = try Self.port(of: control)
        info.eventPort = try Self.port(of: events)
        info.pid = getpid()
        info.protocolVersion = ProtocolVersion.current
        let signer = info.signer

        let lifecycle = Lifecycle { [weak self] code in self?.beginStop(exitCode: code) }
        let outlets = Dispatcher.Outlets(
            request: { [weak self] identity, message in
                self?.send(message, to: identity, signer: signer, loop: \.requestLoop, index: 0)
            },
            control: { [weak self] identity, message in
                self?.send(message, to: identity, signer: signer, loop: \.controlLoop, index: 0)
            },
            publish: { [weak self] topic, message in
                let frames = Frames.event(topic: topic, Data(JSONWriter.data(message)), with: signer)
                self?.state.withLock { $0.requestLoop }?.send(frames, on: 1)
            })
        let authenticator = Authenticator(signer: signer, replayCapacity: config.replayCapacity)
        let handlers = Handlers(server: self, lifecycle: lifecycle, authenticator: authenticator)
        let dispatcher = Dispatcher(table: handlers.requestTable(), controlTable: handlers.controlTable(),
                                    sessions: sessions, authenticator: authenticator, lifecycle: lifecycle,
                                    jobWorkers: config.jobWorkers, outlets: outlets, log: log)
        let logLine: SocketLoop.FailureLog = { [log] in log(.warning, $0) }
        let requestLoop = try SocketLoop(name: "request", sockets: [request, events], log: logLine) { index, frames in
            if index == 0 { dispatcher.receivedOnRequestSocket(frames) } else { dispatcher.receivedSubscription(frames) }
        }
        let controlLoop = try SocketLoop(name: "control", sockets: [control], log: logLine) { _, frames in
            dispatcher.receivedOnControlSocket(frames)
        }
        state.withLock {
            $0.info = info
            $0.requestLoop = requestLoop
            $0.controlLoop = controlLoop
            $0.dispatcher = dispatcher
        }
        requestLoop.start()
        controlLoop.start()
        try info.write(to: config.connectionFile)
        let early = state.withLock { state -> Int32? in
            state.serving = true
            return state.stopBeforeStart
        }
        if let early { lifecycle.stop(exitCode: early) }
        log(.info, "Listening on \(info.ip) (request \(info.requestPort), control \(info.controlPort), events \(info.eventPort)); connection file \(config.connectionFile).")
        return info
    }

    public var connectionInfo: ConnectionInfo? { state.withLock { $0.info } }

    private func makeRouter(_ context: Context, endpoint: String) throws -> Socket {
        let socket = try Socket(context, .router)
        try socket.setRouterMandatory(true)
        try socket.setRouterHandover(true)
        try configure(socket)
        try socket.bind(endpoint)
        return socket
    }

    private func configure(_ socket: Socket) throws {
        try socket.setMaxMessageSize(bytes: configuration.maxMessageBytes)
        try socket.setHeartbeat(intervalMilliseconds: configuration.heartbeatIntervalMilliseconds,
                                timeoutMilliseconds: configuration.heartbeatTimeoutMilliseconds)
        try socket.setLinger(milliseconds: 1_000)
        try socket.setSendHighWaterMark(0)
    }

    private static func port(of socket: Socket) throws -> Int {
        let endpoint = try socket.lastEndpoint
        guard let colon = endpoint.lastIndex(of: ":"), let port = Int(endpoint[endpoint.index(after: colon)...]) else {
            throw ServerStartError("Could not read the bound port from \(endpoint).")
        }
        return port
    }

    private func send(_ message: JSONValue, to identity: Data, signer: MessageSigner,
                      loop: KeyPath<Running, SocketLoop?>, index: Int) {
        let frames = Frames.reply(to: identity, Data(JSONWriter.data(message)), with: signer)
        state.withLock { $0[keyPath: loop] }?.send(frames, on: index)
    }

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

    private func beginStop(exitCode: Int32) {
        Thread.detachNewThread { [self] in
            let (requestLoop, controlLoop, dispatcher, info) = state.withLock {
                $0.exitCode = exitCode
                return ($0.requestLoop, $0.controlLoop, $0.dispatcher, $0.info)
            }
            log(.info, "Stopping: answering the \(sessions.inFlightCount) request(s) in flight first.")
            let deadline = Date().addingTimeInterval(configuration.stopGraceSeconds)
            var cancelled = false
            while sessions.inFlightCount > 0 && Date() < deadline {
                if !cancelled && Date() > deadline.addingTimeInterval(-configuration.stopGraceSeconds / 2) {
                    sessions.cancelAll()
                    cancelled = true
                }
                Thread.sleep(forTimeInterval: 0.01)
            }
            dispatcher?.ordered.drain(timeout: 1)
            requestLoop?.stop()
            controlLoop?.stop()
            requestLoop?.waitUntilStopped()
            controlLoop?.waitUntilStopped()
            if let info, let current = try? ConnectionInfo.read(from: configuration.connectionFile), current.pid == info.pid {
                try? FileManager.default.removeItem(atPath: configuration.connectionFile)
            }
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

public struct ServerStartError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
