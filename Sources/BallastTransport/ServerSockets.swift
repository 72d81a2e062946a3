import Foundation
import Synchronization
import ZeroMQ

/// The daemon's three sockets, bound for a `ConnectionInfo`, and the two threads that own them.
///
/// - request: ROUTER, one DEALER per client; replies and `$/progress` go back on it.
/// - control: ROUTER on its own thread, for what must answer while the request side is busy.
/// - events: XPUB, owned by the request thread, in manual mode: every (un)subscription is passed
///   up, screened by a `SubscriptionGate` (topic shape and length, per-peer and total caps) and
///   applied only when accepted; accepted ones are handed up so the daemon can welcome them.
///
/// Every outgoing message is signed here with the connection's key; what comes in is handed up
/// as frames, unverified (the dispatcher checks signatures, so it can count what it turns away).
public final class ServerSockets: Sendable {
    /// What the sockets are tuned with; the defaults are the daemon's.
    public struct Options: Sendable {
        /// Request-socket messages larger than this disconnect the peer that sent them, before
        /// they reach the daemon.
        public var maxMessageBytes: Int64 = 64 << 20
        /// The same for the control socket, which carries only small control methods.
        public var controlMaxMessageBytes: Int64 = 64 << 10
        /// The same for the events socket, which receives only subscriptions.
        public var eventMaxMessageBytes: Int64 = 1 << 10
        public var heartbeatIntervalMilliseconds: Int32 = 5_000
        public var heartbeatTimeoutMilliseconds: Int32 = 30_000
        /// How long closing the request and control sockets may wait to deliver replies.
        public var lingerMilliseconds: Int32 = 1_000
        /// How many events may queue for each slow subscriber before libzmq drops theirs: what a
        /// subscriber that never reads costs is bounded by this times the size of an event.
        public var eventHighWaterMark: Int32 = 10_000
        /// What the events socket accepts from peers that hold no key.
        public var subscriptionLimits = SubscriptionLimits()

        public init() {}
    }

    /// Where a message came in or goes out.
    public enum Channel: Sendable {
        case request, control
    }

    /// Where received frames go. Each runs on the thread of its socket.
    public struct Receivers: Sendable {
        /// `[identity, signature, payload, buffers…]` from a client's DEALER on the request socket.
        public var request: @Sendable (_ frames: [Data]) -> Void
        /// The same, from the control socket.
        public var control: @Sendable (_ frames: [Data]) -> Void
        /// A subscription the events socket applied or refused.
        public var subscription: @Sendable (_ notice: SubscriptionNotice) -> Void
        /// The client with this routing identity has disconnected from the request socket (it closed,
        /// or its heartbeats timed out). It may come back under the same identity.
        public var peerGone: @Sendable (_ identity: Data) -> Void

        public init(request: @escaping @Sendable ([Data]) -> Void, control: @escaping @Sendable ([Data]) -> Void,
                    subscription: @escaping @Sendable (SubscriptionNotice) -> Void,
                    peerGone: @escaping @Sendable (Data) -> Void = { _ in }) {
            self.request = request
            self.control = control
            self.subscription = subscription
            self.peerGone = peerGone
        }
    }

    /// The connection as bound: the ports are the real ones, even where `0` asked for any.
    public let info: ConnectionInfo
    private let signer: MessageSigner
    let requestLoop: SocketLoop
    private let controlLoop: SocketLoop
    let gate: Mutex<SubscriptionGate<PeerConnection>>
    /// Set when the events socket passed up a message that is not a subscription, until its
    /// queue is empty again (see `screen`).
    let eventsUnsettled = Atomic<Bool>(false)
    let log: @Sendable (_ sentence: String) -> Void

    static let requestIndex = 0, eventsIndex = 1, requestMonitorIndex = 2, controlIndex = 0

    /// Binds request, control and events (in that order) on `info`'s address and ports. Nothing
    /// is received until `start`; `log` hears of messages that could not be sent.
    public init(binding info: ConnectionInfo, options: Options = Options(),
                log: @escaping @Sendable (_ sentence: String) -> Void) throws(TransportError) {
        var bound = info
        let (request, control, events, requestMonitor) = try transporting { () throws(ZMQError) in
            let context = try Context()
            let request = try Self.router(context, options, maxMessageBytes: options.maxMessageBytes,
                                          endpoint: info.requestEndpoint)
            let control = try Self.router(context, options, maxMessageBytes: options.controlMaxMessageBytes,
                                          endpoint: info.controlEndpoint)
            let events = try Socket(context, .xpub)
            try events.setXPubManual(true)
            try events.setXPubVerboser(true)
            try events.setMaxMessageSize(bytes: options.eventMaxMessageBytes)
            try events.setSendHighWaterMark(options.eventHighWaterMark)
            try events.bind(info.eventEndpoint)
            return (request, control, events, try request.monitor(.disconnected, in: context))
        }
        bound.requestPort = try Self.port(of: request)
        bound.controlPort = try Self.port(of: control)
        bound.eventPort = try Self.port(of: events)
        self.info = bound
        self.signer = bound.signer
        gate = Mutex(SubscriptionGate(limits: options.subscriptionLimits))
        self.log = log
        requestLoop = try SocketLoop(name: "request", sockets: [request, events, requestMonitor], log: log)
        controlLoop = try SocketLoop(name: "control", sockets: [control], log: log)
    }

    /// Starts the two socket threads. Replies and events sent before this go out on their first turn.
    public func start(_ receivers: Receivers) {
        let peers = PeerMonitor(peerGone: receivers.peerGone)
        requestLoop.start { [self] index, frames, source in
            switch index {
            case Self.requestIndex:
                peers.received(frames, source: source)
                receivers.request(frames)
            case Self.requestMonitorIndex:
                peers.monitored(frames)
            default:
                if let notice = screen(frames, source: source) { receivers.subscription(notice) }
            }
        }
        controlLoop.start { _, frames, _ in receivers.control(frames) }
    }

    /// Signs `payload` (and `buffers`, sent after it) and sends it to the client `identity` on
    /// `channel`. Callable from any thread. Only the request socket carries buffers.
    public func reply(_ payload: Data, buffers: [Data] = [], to identity: Data, on channel: Channel) {
        precondition(buffers.isEmpty || channel == .request, "the control socket carries no buffers")
        let frames = Frames.reply(to: identity, payload, buffers: buffers, with: signer)
        switch channel {
        case .request: requestLoop.send(frames, on: Self.requestIndex)
        case .control: controlLoop.send(frames, on: Self.controlIndex)
        }
    }

    /// Signs `payload` and publishes it under `topic` on the events socket. Callable from any thread.
    public func publish(_ payload: Data, topic: String) {
        requestLoop.send(Frames.event(topic: topic, payload, with: signer), on: Self.eventsIndex)
    }

    /// Sends what is queued, closes the sockets and ends both threads; returns once they have ended.
    public func stop() {
        requestLoop.stop()
        controlLoop.stop()
        requestLoop.waitUntilStopped()
        controlLoop.waitUntilStopped()
    }

    private static func router(_ context: Context, _ options: Options, maxMessageBytes: Int64,
                               endpoint: String) throws(ZMQError) -> Socket {
        let socket = try Socket(context, .router)
        try socket.setRouterMandatory(true)
        try socket.setRouterHandover(true)
        try socket.setMaxMessageSize(bytes: maxMessageBytes)
        try socket.setHeartbeat(intervalMilliseconds: options.heartbeatIntervalMilliseconds,
                                timeoutMilliseconds: options.heartbeatTimeoutMilliseconds)
        try socket.setLinger(milliseconds: options.lingerMilliseconds)
        try socket.setSendHighWaterMark(0)
        try socket.bind(endpoint)
        return socket
    }

    private static func port(of socket: Socket) throws(TransportError) -> Int {
        let endpoint = try transporting { () throws(ZMQError) in try socket.lastEndpoint }
        guard let colon = endpoint.lastIndex(of: ":"), let port = Int(endpoint[endpoint.index(after: colon)...]) else {
            throw TransportError(operation: "reading the bound port", reason: "\(endpoint) names no port")
        }
        return port
    }
}
