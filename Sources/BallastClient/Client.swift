import BallastProtocol
import BallastTransport
import Foundation

/// A connection to `ballastd`: signs requests, matches replies to them, and hands notifications
/// that arrive meanwhile (such as `$/progress`) to a callback.
///
/// - Important: not thread-safe, like the sockets inside it: use a client from one thread.
public final class Client {
    public let info: ConnectionInfo
    public let signer: MessageSigner
    /// The session name the daemon knows this client by (hex of the routing identity).
    public let session: String
    private let sockets: ClientSockets
    private var nextID: Int64
    /// Seconds to wait for a reply unless a call says otherwise; nil waits as long as the daemon
    /// lives (see `watch`). A request that runs out of time is cancelled.
    public var defaultTimeout: Double?
    /// The connection file the daemon was found through, if any: a wait ends when it names another daemon.
    public let connectionFile: String?
    /// Notices, while a call waits, that the daemon has gone (nil when made with `watch: false`).
    private let watch: DaemonWatch?
    /// How often a wait with nothing arriving looks at the clock, the daemon and `shouldStop`.
    static let waitSlice = 0.2
    /// Seconds a control call (`ping`, `status`, `shutdown`) waits unless told otherwise: the
    /// control socket answers at once even while every worker is busy. Python's `CONTROL_TIMEOUT`
    /// is the same.
    public static let controlTimeout = 10.0

    /// - Parameters:
    ///   - connectionFile: where `info` was read from, so a restarted daemon is noticed.
    ///   - watch: whether waits check that the daemon lives (pid, connection file, control pings).
    public init(_ info: ConnectionInfo, connectionFile: String? = nil, watch: Bool = true) throws(ClientError) {
        self.info = info
        self.connectionFile = connectionFile
        self.watch = watch ? DaemonWatch(info, connectionFile: connectionFile) : nil
        self.signer = info.signer
        // Ids must never repeat under one key (the daemon refuses replays), across all clients:
        // start at a random 40-bit offset.
        self.nextID = Int64.random(in: 1...(1 << 40))
        var identity = Data(count: 16)
        for index in identity.indices { identity[index] = UInt8.random(in: 0...255) }
        session = SessionName.of(identity)
        do { sockets = try ClientSockets(info, identity: identity) } catch { throw .transport(error) }
    }

    /// Closes the connection. Safe to call more than once; the sockets close with the client too.
    public func close() { sockets.close() }

    // MARK: Requests

    /// Sends `initialize`; returns the server's answer.
    @discardableResult
    public func initialize(name: String = "ballast", version: String = ProtocolVersion.serverVersion) throws(ClientError) -> Initialize.Result {
        try call(Initialize.self, Initialize.Params(client: .init(name: name, version: version),
                                                   protocolVersion: ProtocolVersion.current))
    }

    public func call<M: RequestMethod>(_ method: M.Type, _ params: M.Params, timeout: Double? = nil) throws(ClientError) -> M.Result {
        let paramsJSON: JSONValue
        do { paramsJSON = try JSONValue(encoding: params) } catch {
            throw .protocolViolation("the params of \(M.method) could not be encoded: \(error)")
        }
        let result = try call(M.method, params: paramsJSON, timeout: timeout)
        do { return try result.decode(as: M.Result.self) } catch {
            throw .protocolViolation("the result of \(M.method) did not match its schema: \(error.message)")
        }
    }

    /// Sends a request and waits for its reply. Notifications that arrive meanwhile go to
    /// `onNotification`; replies to other ids are ignored.
    ///
    /// The wait ends with the reply; with `.timeout` after `timeout` seconds; with `.stopped` as
    /// soon as `shouldStop` says so (a second Ctrl-C); with `.daemonGone` when the daemon exits, is
    /// replaced or stops answering pings. On a timeout or a stop the request is cancelled
    /// (`$/cancelRequest` on the control socket), unless `detach`.
    ///
    /// `buffers` go out after the payload as binary frames, which `params` refers to as
    /// `{"buffer": i}` (protocol/README.md section 1); buffers the reply carries are dropped here:
    /// use `callWithBuffers` for a method that answers with some.
    public func call(_ method: String, params: JSONValue = [:], buffers: [Data] = [], timeout: Double? = nil, detach: Bool = false,
                     onNotification: (String, JSONValue) -> Void = { _, _ in },
                     shouldStop: () -> Bool = { false }) throws(ClientError) -> JSONValue {
        try callWithBuffers(method, params: params, buffers: buffers, timeout: timeout, detach: detach,
                            onNotification: onNotification, shouldStop: shouldStop).result
    }

    /// A reply's result and the binary buffers that came after its payload, in order (the result
    /// refers to them as `{"buffer": i, "dtype": …, "shape": …}`).
    public struct BinaryReply: Sendable {
        public var result: JSONValue
        public var buffers: [Data]
    }

    /// `call`, returning the reply's buffers with its result.
    public func callWithBuffers(_ method: String, params: JSONValue = [:], buffers: [Data] = [], timeout: Double? = nil,
                                detach: Bool = false, onNotification: (String, JSONValue) -> Void = { _, _ in },
                                shouldStop: () -> Bool = { false }) throws(ClientError) -> BinaryReply {
        try exchange(method, params: params, buffers: buffers, on: .request, timeout: timeout ?? defaultTimeout, detach: detach,
                     shouldStop: shouldStop, onNotification: onNotification)
    }

    /// Sends a request on `channel` and waits for the reply with its id.
    private func exchange(_ method: String, params: JSONValue, buffers: [Data] = [], on channel: ClientSockets.Channel,
                          timeout: Double?, detach: Bool = false, shouldStop: () -> Bool = { false },
                          onNotification: (String, JSONValue) -> Void) throws(ClientError) -> BinaryReply {
        try WaitLimit.check(timeout)
        guard buffers.isEmpty || channel == .request else {
            throw .badArgument("The control socket carries no buffers; '\(method)' was not sent.")
        }
        let id = RequestID.number(nextID)
        nextID += 1
        try send(Message.request(id: id, method: method, params: params).json, buffers: buffers, on: channel)
        let deadline = timeout.map { Date().addingTimeInterval($0) } ?? .distantFuture
        watch?.heard()
        while true {
            if let (message, buffers) = try receive(on: channel, until: min(deadline, Date().addingTimeInterval(Self.waitSlice))) {
                watch?.heard()
                if let result = try reply(to: id, in: message, onNotification: onNotification) {
                    return BinaryReply(result: result, buffers: buffers)
                }
            } else if let reason = watch?.check() {
                // A stuck or replaced daemon that wakes up should not run this for nobody.
                if reason != .exited { abandon(id, on: channel) }
                throw .daemonGone(DaemonGone(reason: reason, pid: info.pid, waitingFor: method, connectionFile: connectionFile))
            }
            if Date() >= deadline {
                if !detach { abandon(id, on: channel) }
                throw .timeout(method: method, seconds: timeout ?? 0, cancelled: !detach && channel == .request)
            }
            if shouldStop() {
                if !detach { abandon(id, on: channel) }
                throw .stopped(method: method)
            }
        }
    }

    /// The result when `message` answers `id`; hands notifications to `onNotification`; nil for
    /// anything else (replies to other ids).
    private func reply(to id: RequestID, in message: JSONValue,
                       onNotification: (String, JSONValue) -> Void) throws(ClientError) -> JSONValue? {
        switch Message.classify(message) {
        case .success(.response(let replyID, let outcome)) where replyID == id:
            switch outcome {
            case .result(let value): return value
            case .error(let error): throw .rpc(error)
            }
        case .success(.notification(let name, let params)):
            onNotification(name, params)
        case .failure(let failure) where failure.id == nil && message["error"] != nil:
            // An error answered with a null id (the daemon could not read ours).
            if let error = message["error"].flatMap(RPCError.init(json:)) { throw .rpc(error) }
        default:
            break
        }
        return nil
    }

    /// Cancels a request this client stops waiting for, so that no work is left running for
    /// nobody. Best effort: the request may have ended meanwhile.
    private func abandon(_ id: RequestID, on channel: ClientSockets.Channel) {
        guard channel == .request else { return }
        try? controlNotify(CancelRequest.method, params: ["id": id.json, "session": .string(session)])
    }

    /// Sends a notification (no reply).
    public func notify(_ method: String, params: JSONValue = [:]) throws(ClientError) {
        try send(Message.notification(method: method, params: params).json, on: .request)
    }

    /// Asks the daemon to cancel one of this client's requests.
    public func cancel(_ id: RequestID) throws(ClientError) {
        try notify(CancelRequest.method, params: ["id": id.json])
    }

    /// The id the next `call` will use, so a caller can cancel it from another connection.
    public var upcomingID: RequestID { .number(nextID) }

    // MARK: Control socket

    /// Sends a request on the control socket (`ping`, `status`, `shutdown`), which needs no
    /// `initialize` and answers even while the daemon's workers are busy.
    public func control(_ method: String, params: JSONValue = [:], timeout: Double = Client.controlTimeout) throws(ClientError) -> JSONValue {
        try exchange(method, params: params, on: .control, timeout: timeout) { _, _ in }.result
    }

    /// Sends a notification on the control socket (`$/cancelRequest` with a session).
    public func controlNotify(_ method: String, params: JSONValue) throws(ClientError) {
        try send(Message.notification(method: method, params: params).json, on: .control)
    }

    // MARK: Raw access, for tools and tests

    /// Sends payload bytes as they are, and `buffers` after them, signed (or with the given
    /// signature frame).
    public func sendRaw(_ payload: [UInt8], signature: Data? = nil, buffers: [Data] = [], control: Bool = false) throws(ClientError) {
        let frames = [signature ?? Data(signer.signature(of: payload, buffers: buffers).utf8), Data(payload)] + buffers
        do { try sockets.send(frames, on: control ? .control : .request) } catch { throw .transport(error) }
    }

    /// Sends arbitrary frames on the request socket (to test framing errors).
    public func sendFrames(_ frames: [Data]) throws(ClientError) {
        do { try sockets.send(frames, on: .request) } catch { throw .transport(error) }
    }

    /// The next verified message on the request (or control) socket, or nil after `timeout`.
    public func receiveMessage(timeout: Double, control: Bool = false) throws(ClientError) -> JSONValue? {
        try receive(on: control ? .control : .request, until: Date().addingTimeInterval(timeout))?.message
    }

    /// Waits at most `timeout` seconds until a message is waiting on the request or control
    /// socket, or `fileDescriptor` is readable; returns whether the file descriptor is.
    public func wait(orReadable fileDescriptor: Int32?, timeout: Double) throws(ClientError) -> Bool {
        do { return try sockets.wait(orReadable: fileDescriptor, timeout: timeout) } catch { throw .transport(error) }
    }

    /// The same, with the buffers that came after the payload.
    public func receiveMessageWithBuffers(timeout: Double) throws(ClientError) -> (message: JSONValue, buffers: [Data])? {
        try receive(on: .request, until: Date().addingTimeInterval(timeout))
    }

    private func send(_ message: JSONValue, buffers: [Data] = [], on channel: ClientSockets.Channel) throws(ClientError) {
        do { try sockets.send(Frames.signed(Data(JSONWriter.data(message)), buffers: buffers, with: signer), on: channel) } catch {
            throw .transport(error)
        }
    }

    /// Receives until a correctly signed, parseable message arrives or the deadline passes;
    /// anything unsigned or malformed is dropped. Buffers come only on the request socket.
    private func receive(on channel: ClientSockets.Channel, until deadline: Date) throws(ClientError) -> (message: JSONValue, buffers: [Data])? {
        while true {
            let frames: [Data]
            do {
                guard let received = try sockets.receive(on: channel, until: deadline) else { return nil }
                frames = received
            } catch {
                throw .transport(error)
            }
            guard frames.count == 2 || (channel == .request && frames.count > 2) else { continue }
            let buffers = Array(frames[2...])
            guard signer.verify(signature: frames[0], payload: frames[1], buffers: buffers),
                  let value = try? JSONParser.parse(frames[1]) else { continue }
            return (value, buffers)
        }
    }
}
