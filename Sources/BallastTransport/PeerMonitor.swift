import Foundation
import ZeroMQ

/// Tells which clients of a ROUTER have gone, by joining two streams that libzmq keeps apart:
/// the messages, each with the file descriptor of the connection it came on (`ZMQ_SRCFD`), and
/// the socket monitor's DISCONNECTED events, each with the descriptor of the connection that ended.
///
/// A client is its routing identity; the connection it last sent on is the one that counts.
/// Descriptors are reused as soon as they close, and the two streams are read in turns, so a
/// message on a reused descriptor can be read before the event that ended its previous owner.
/// One connection never changes identity, so a different identity on a known descriptor proves
/// that the previous owner's connection has ended: that owner is reported gone at once, and the
/// DISCONNECTED event still on its way is then skipped.
///
/// Used by the one thread that owns the ROUTER, so it needs no lock.
struct PeerTracker {
    private var identityOn: [Int32: Data] = [:]
    private var descriptorOf: [Data: Int32] = [:]
    /// Descriptors whose next DISCONNECTED events were already accounted for by a change of owner.
    private var endsAlreadyCounted: [Int32: Int] = [:]

    init() {}

    /// Notes a message from `identity` on the connection `descriptor`; returns a client whose
    /// connection this proves ended.
    mutating func received(from identity: Data, on descriptor: Int32) -> Data? {
        guard descriptor >= 0, identityOn[descriptor] != identity else { return nil }
        var gone: Data?
        if let previous = identityOn[descriptor] {
            if descriptorOf[previous] == descriptor {
                descriptorOf[previous] = nil
                gone = previous
            }
            endsAlreadyCounted[descriptor, default: 0] += 1
        }
        if let old = descriptorOf[identity], identityOn[old] == identity {
            // The same identity on a new connection (ROUTER_HANDOVER): the old one is no longer its.
            identityOn[old] = nil
        }
        identityOn[descriptor] = identity
        descriptorOf[identity] = descriptor
        return gone
    }

    /// Notes that the connection `descriptor` ended; returns the client that was on it, if any.
    mutating func disconnected(_ descriptor: Int32) -> Data? {
        if let counted = endsAlreadyCounted[descriptor] {
            endsAlreadyCounted[descriptor] = counted > 1 ? counted - 1 : nil
            return nil
        }
        guard let identity = identityOn.removeValue(forKey: descriptor) else { return nil }
        if descriptorOf[identity] == descriptor { descriptorOf[identity] = nil }
        return identity
    }

    /// How many clients are known to be connected.
    var connectedCount: Int { descriptorOf.count }
}

/// A ROUTER's monitor, owned with it by the ROUTER's loop thread: it turns the monitor's events
/// and the ROUTER's messages into "this client has gone" calls.
final class PeerMonitor: @unchecked Sendable {
    // @unchecked: `tracker` is touched only from the loop thread that owns the ROUTER and its
    // monitor socket (both calls below run there); `peerGone` is immutable.
    private var tracker = PeerTracker()
    private let peerGone: @Sendable (_ identity: Data) -> Void

    init(peerGone: @escaping @Sendable (Data) -> Void) { self.peerGone = peerGone }

    /// A message `[identity, …]` arrived on the connection `source`.
    func received(_ frames: [Data], source: Int32) {
        guard let identity = frames.first, let gone = tracker.received(from: identity, on: source) else { return }
        peerGone(gone)
    }

    /// A message arrived on the monitor socket.
    func monitored(_ frames: [Data]) {
        guard let event = MonitorEvent(frames: frames), event.kind.contains(.disconnected),
              let gone = tracker.disconnected(event.value) else { return }
        peerGone(gone)
    }
}
