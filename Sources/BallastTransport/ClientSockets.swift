import Foundation
import ZeroMQ

/// A client's two DEALERs: one to the daemon's request socket, made at once with the client's
/// routing identity, and one to its control socket, made on first use.
///
/// - Important: libzmq sockets are not thread-safe, and neither is this: use it from one thread.
///   It owns its sockets and their context; `close()` is idempotent, and `deinit` closes what
///   was not closed.
public final class ClientSockets {
    public enum Channel: Sendable {
        case request, control
    }

    public let info: ConnectionInfo
    private let context: Context
    private let request: Socket
    private var control: Socket?

    /// How long closing may wait to deliver messages already sent.
    private static let lingerMilliseconds: Int32 = 500

    /// Connects to the request socket under `identity` (the daemon names the session after it).
    public init(_ info: ConnectionInfo, identity: Data) throws(TransportError) {
        self.info = info
        (context, request) = try transporting { () throws(ZMQError) in
            let context = try Context()
            let request = try Socket(context, .dealer)
            try request.setRoutingID(identity)
            try request.setLinger(milliseconds: Self.lingerMilliseconds)
            try request.connect(info.requestEndpoint)
            return (context, request)
        }
    }

    deinit { close() }

    /// Closes both sockets. Safe to call more than once; later sends and receives throw ENOTSOCK.
    public func close() {
        request.close()
        control?.close()
    }

    /// Sends a multipart message on `channel`, waiting while libzmq cannot queue it.
    public func send(_ frames: [Data], on channel: Channel) throws(TransportError) {
        let socket = try self.socket(channel)
        try transporting { () throws(ZMQError) in _ = try socket.send(frames) }
    }

    /// The next message on `channel`, or nil once `deadline` has passed.
    public func receive(on channel: Channel, until deadline: Date) throws(TransportError) -> [Data]? {
        try socket(channel).receive(until: deadline)
    }

    /// Waits at most `timeout` seconds until a message is waiting on either socket or
    /// `fileDescriptor` (when given) is readable, in one poll; returns whether the file
    /// descriptor is readable. A loop that relays between a file and the daemon (the editor
    /// bridge) thus wakes for whichever comes first, rather than waiting on each in turn.
    public func wait(orReadable fileDescriptor: Int32?, timeout: Double) throws(TransportError) -> Bool {
        var sources: [Poller.Source] = [.socket(request)]
        if let control { sources.append(.socket(control)) }
        if let fileDescriptor { sources.append(.fileDescriptor(fileDescriptor)) }
        let milliseconds = timeout.isFinite ? Int(max(0, min(timeout * 1000, Double(Int32.max)))) : -1
        let ready = try transporting { () throws(ZMQError) in try Poller(sources).poll(timeoutMilliseconds: milliseconds) }
        return fileDescriptor != nil && ready.last == true
    }

    private func socket(_ channel: Channel) throws(TransportError) -> Socket {
        switch channel {
        case .request: return request
        case .control:
            if let control { return control }
            let socket = try transporting { () throws(ZMQError) in
                let socket = try Socket(context, .dealer)
                try socket.setLinger(milliseconds: Self.lingerMilliseconds)
                try socket.connect(info.controlEndpoint)
                return socket
            }
            control = socket
            return socket
        }
    }
}

extension Socket {
    /// A blocking receive bounded by the time left until `deadline`: one call, no poll set to build.
    /// A deadline already passed still takes a message that is waiting (a drain with timeout 0).
    func receive(until deadline: Date) throws(TransportError) -> [Data]? {
        while true {
            let remaining = deadline.timeIntervalSinceNow
            // A deadline made from a NaN timeout is no time to wait (and would trap converting to
            // Int32): treat it as passed. An infinite one waits in slices of Int32.max ms.
            guard !remaining.isNaN else { return nil }
            let milliseconds = remaining > 0 ? Int32(min(remaining * 1000 + 1, Double(Int32.max))) : 0
            let frames = try transporting { () throws(ZMQError) in
                try setReceiveTimeout(milliseconds: milliseconds)
                return try receive()
            }
            if let frames { return frames }
            if remaining <= 0 { return nil }
        }
    }
}
