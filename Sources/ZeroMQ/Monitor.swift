import CZeroMQ
import Foundation

/// One event from libzmq's socket monitor (`zmq_socket_monitor`, the stable version-1 format):
/// what happened, the value that comes with it (the connection's file descriptor for the
/// connection events), and the endpoint.
public struct MonitorEvent: Sendable, Equatable {
    /// The events Ballast listens for; the raw values are libzmq's `ZMQ_EVENT_*` bits.
    public struct Kinds: OptionSet, Sendable {
        public let rawValue: Int32
        public init(rawValue: Int32) { self.rawValue = rawValue }
        /// A listening socket accepted a connection; the value is its file descriptor.
        public static let accepted = Kinds(rawValue: ZMQ_EVENT_ACCEPTED)
        /// A connection ended (peer closed, heartbeat timed out, protocol error); the value is the
        /// file descriptor it had, reported before libzmq closes it.
        public static let disconnected = Kinds(rawValue: ZMQ_EVENT_DISCONNECTED)
    }

    public let kind: Kinds
    public let value: Int32
    public let endpoint: String

    public init(kind: Kinds, value: Int32, endpoint: String) {
        self.kind = kind
        self.value = value
        self.endpoint = endpoint
    }

    /// Decodes `[6 bytes: uint16 event, uint32 value (host order)][endpoint]`; nil for anything else.
    public init?(frames: [Data]) {
        guard frames.count == 2, frames[0].count == 6 else { return nil }
        let bytes = [UInt8](frames[0])
        let event = bytes[0..<2].withUnsafeBytes { $0.loadUnaligned(as: UInt16.self) }
        let value = bytes[2..<6].withUnsafeBytes { $0.loadUnaligned(as: UInt32.self) }
        self.init(kind: Kinds(rawValue: Int32(event)), value: Int32(bitPattern: value),
                  endpoint: String(decoding: frames[1], as: UTF8.self))
    }
}

extension Socket {
    /// Asks libzmq to report `events` on this socket, and returns the PAIR socket that receives
    /// them (decode each message with `MonitorEvent(frames:)`).
    ///
    /// - Important: `context` must be the context this socket was made from: the events travel
    ///   over `inproc`, which only connects sockets of one context. The returned socket belongs to
    ///   whoever owns this one, like any socket; closing it ends nothing but the reports.
    public func monitor(_ events: MonitorEvent.Kinds, in context: Context) throws(ZMQError) -> Socket {
        let handle = try liveHandle("zmq_socket_monitor")
        let endpoint = "inproc://ballast.monitor.\(UUID().uuidString)"
        try retryingInterrupts("zmq_socket_monitor(\(endpoint))") { zmq_socket_monitor(handle, endpoint, events.rawValue) }
        let reports = try Socket(context, .pair)
        try reports.connect(endpoint)
        return reports
    }
}
