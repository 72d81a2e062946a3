import BallastProtocol
import Foundation

extension Handlers {
    /// `initialize`, `ping` and `shutdown` on the request socket.
    func registerLifecycle(into table: inout MethodTable) {
        table.register(Initialize.self) { _, context in
            return Initialize.Result(server: .init(name: "ballastd", version: ProtocolVersion.serverVersion),
                                     protocolVersion: ProtocolVersion.current, session: context.session,
                                     capabilities: capabilities(), maxMessageBytes: state.maxMessageBytes)
        }
        table.register(Ping.self, lane: .immediate) { _, _ in Ping.Result(uptimeSeconds: uptime) }
        table.register(Shutdown.self) { _, context in
            state.log(.info, "Session \(context.session) asked for shutdown; no new work is taken until 'exit'.")
            lifecycle.requestShutdown()
            return NullResult()
        }
    }

    /// `ping`, `status` and `shutdown` on the control socket: bookkeeping only, answered at once.
    func registerControl(into table: inout MethodTable) {
        table.register(Ping.self) { _, _ in Ping.Result(uptimeSeconds: uptime) }
        table.register(Status.self) { _, _ in
            Status.Result(pid: getpid(), uptimeSeconds: uptime, protocolVersion: ProtocolVersion.current,
                          sessions: state.sessions.count, inFlight: state.sessions.inFlightSnapshot(),
                          rejected: state.authenticator.rejectedCounts, shuttingDown: !lifecycle.takesWork,
                          stateDir: state.store.directory?.path)
        }
        table.register(Shutdown.self) { _, context in
            state.log(.info, "Session \(context.session) asked the control socket to stop the daemon.")
            // Answer first: the stop runs on its own thread and waits for this reply to be queued.
            DispatchQueue.global().asyncAfter(deadline: .now() + 0.05) { lifecycle.stop(exitCode: 0) }
            return NullResult()
        }
    }
}
