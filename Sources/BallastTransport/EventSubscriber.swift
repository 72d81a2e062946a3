import Foundation
import ZeroMQ

/// A SUB socket connected to a daemon's events socket, subscribed to one topic prefix.
///
/// - Important: not thread-safe, like the socket inside it. It owns its socket and context;
///   `close()` is idempotent, and `deinit` closes the socket when nobody did.
public final class EventSubscriber {
    private let context: Context
    private let socket: Socket

    public init(_ info: ConnectionInfo, topic: String) throws(TransportError) {
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

    /// The next message, `[topic, signature, payload]`, or nil once `deadline` has passed.
    public func receive(until deadline: Date) throws(TransportError) -> [Data]? {
        try socket.receive(until: deadline)
    }
}
