import CZeroMQ
import Foundation

/// Typed socket options. Each setter maps to one `zmq_setsockopt` call.
extension Socket {
    func setOption(_ option: Int32, _ value: Int32) throws(ZMQError) {
        let handle = try liveHandle("zmq_setsockopt")
        var value = value
        try retryingInterrupts("zmq_setsockopt(\(option))") {
            zmq_setsockopt(handle, option, &value, MemoryLayout<Int32>.size)
        }
    }

    func setOption(_ option: Int32, _ value: Int64) throws(ZMQError) {
        let handle = try liveHandle("zmq_setsockopt")
        var value = value
        try retryingInterrupts("zmq_setsockopt(\(option))") {
            zmq_setsockopt(handle, option, &value, MemoryLayout<Int64>.size)
        }
    }

    func setOption(_ option: Int32, _ bytes: Data) throws(ZMQError) {
        let handle = try liveHandle("zmq_setsockopt")
        try retryingInterrupts("zmq_setsockopt(\(option))") {
            bytes.withUnsafeBytes { zmq_setsockopt(handle, option, $0.baseAddress, $0.count) }
        }
    }

    func stringOption(_ option: Int32) throws(ZMQError) -> String {
        let handle = try liveHandle("zmq_getsockopt")
        var buffer = [CChar](repeating: 0, count: 1024)
        var size = buffer.count
        try retryingInterrupts("zmq_getsockopt(\(option))") { zmq_getsockopt(handle, option, &buffer, &size) }
        return String(decoding: buffer.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    func int32Option(_ option: Int32) throws(ZMQError) -> Int32 {
        let handle = try liveHandle("zmq_getsockopt")
        var value: Int32 = 0
        var size = MemoryLayout<Int32>.size
        try retryingInterrupts("zmq_getsockopt(\(option))") { zmq_getsockopt(handle, option, &value, &size) }
        return value
    }

    /// Whether a message can be received now without waiting (ZMQ_EVENTS has ZMQ_POLLIN).
    public var hasInput: Bool {
        get throws(ZMQError) { try int32Option(ZMQ_EVENTS) & Int32(ZMQ_POLLIN) != 0 }
    }

    /// How long `close()` may keep undelivered messages, in milliseconds (0 = drop them).
    public func setLinger(milliseconds: Int32) throws(ZMQError) { try setOption(ZMQ_LINGER, milliseconds) }

    /// A receive that waits longer than this returns nil (-1 = wait forever).
    public func setReceiveTimeout(milliseconds: Int32) throws(ZMQError) { try setOption(ZMQ_RCVTIMEO, milliseconds) }

    /// A send that waits longer than this fails with EAGAIN (-1 = wait forever).
    public func setSendTimeout(milliseconds: Int32) throws(ZMQError) { try setOption(ZMQ_SNDTIMEO, milliseconds) }

    /// Messages larger than this disconnect the peer that sent them (-1 = no limit).
    public func setMaxMessageSize(bytes: Int64) throws(ZMQError) { try setOption(ZMQ_MAXMSGSIZE, bytes) }

    /// ZMTP heartbeats: ping every `interval`, drop the peer after `timeout` without traffic.
    public func setHeartbeat(intervalMilliseconds: Int32, timeoutMilliseconds: Int32) throws(ZMQError) {
        try setOption(ZMQ_HEARTBEAT_IVL, intervalMilliseconds)
        try setOption(ZMQ_HEARTBEAT_TIMEOUT, timeoutMilliseconds)
        try setOption(ZMQ_HEARTBEAT_TTL, timeoutMilliseconds)
    }

    /// The identity a DEALER presents to a ROUTER.
    public func setRoutingID(_ identity: Data) throws(ZMQError) { try setOption(ZMQ_ROUTING_ID, identity) }

    /// ROUTER: fail with EHOSTUNREACH instead of silently dropping a message to an unknown peer.
    public func setRouterMandatory(_ on: Bool) throws(ZMQError) { try setOption(ZMQ_ROUTER_MANDATORY, Int32(on ? 1 : 0)) }

    /// ROUTER: a peer reconnecting with a known identity takes the identity over.
    public func setRouterHandover(_ on: Bool) throws(ZMQError) { try setOption(ZMQ_ROUTER_HANDOVER, Int32(on ? 1 : 0)) }

    /// XPUB: pass every subscription up to the application, not only the first for a topic.
    public func setXPubVerbose(_ on: Bool) throws(ZMQError) { try setOption(ZMQ_XPUB_VERBOSE, Int32(on ? 1 : 0)) }

    /// XPUB: pass every unsubscription up too, so the application can keep counts.
    public func setXPubVerboser(_ on: Bool) throws(ZMQError) { try setOption(ZMQ_XPUB_VERBOSER, Int32(on ? 1 : 0)) }

    /// XPUB: apply no subscription by itself. Each one is passed up, and applies only when the
    /// application calls `subscribe` on this socket before its next receive (it applies to the
    /// connection the last received subscription came from).
    public func setXPubManual(_ on: Bool) throws(ZMQError) { try setOption(ZMQ_XPUB_MANUAL, Int32(on ? 1 : 0)) }

    /// SUB: receive messages whose first frame starts with `prefix` (empty = everything).
    /// XPUB in manual mode: apply the last received subscription (see `setXPubManual`).
    public func subscribe(_ prefix: Data) throws(ZMQError) { try setOption(ZMQ_SUBSCRIBE, prefix) }

    /// SUB: stop receiving `prefix`. XPUB in manual mode: withdraw the last received subscription.
    public func unsubscribe(_ prefix: Data) throws(ZMQError) { try setOption(ZMQ_UNSUBSCRIBE, prefix) }

    /// How many messages may queue for sending before sends block or drop (0 = no limit).
    public func setSendHighWaterMark(_ messages: Int32) throws(ZMQError) { try setOption(ZMQ_SNDHWM, messages) }

    /// How many messages may queue for receiving per connection (0 = no limit).
    public func setReceiveHighWaterMark(_ messages: Int32) throws(ZMQError) { try setOption(ZMQ_RCVHWM, messages) }
}
