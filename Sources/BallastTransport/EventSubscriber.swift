import Foundation
import ZeroMQ

/// A SUB socket connected to a daemon's events socket, subscribed to one topic prefix.
///
/// - Important: not thread-safe, like the socket inside it. It owns its socket and context;
///   `close()` is idempotent, and `deinit` closes the socket when nobody did.
public final class EventSubscriber {
    private let context: Context
    private let socket: Socket
    public let topic: String

    public init(_ info: ConnectionInfo, topic: String) throws(TransportError) {
        self.topic = topic
        (context, socket) = try transporting { () throws(ZMQError) in
            let context = try Context()
            let socket = try Socket(context, .sub)
            try socket.connect(info.eventEndpoint)
            try socket.subscribe(Data(topic.utf8))
            return (context, socket)
        }
    }

    deinit { close() }

    public func close() { socket.close() }

    /// Sends the subscription again (libzmq's SUB sends a repeated subscription upstream as it
    /// is), for when the daemon refused or never saw the first: it welcomes every one it applies.
    public func resubscribe() throws(TransportError) {
        try transporting { () throws(ZMQError) in try self.socket.subscribe(Data(self.topic.utf8)) }
    }

    /// The next message, `[topic, signature, payload]`, or nil once `deadline` has passed.
    public func receive(until deadline: Date) throws(TransportError) -> [Data]? {
        try socket.receive(until: deadline)
    }
}
