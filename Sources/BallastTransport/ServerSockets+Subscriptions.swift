import Foundation
import ZeroMQ

/// What the events socket did with a subscription, told to the daemon so it can welcome the
/// subscriber or log the refusal.
public enum SubscriptionNotice: Sendable, Equatable {
    case accepted(topic: String)
    /// `disconnected`: the peer held more than it may and its connection was shut down.
    case refused(SubscriptionRefusal, disconnected: Bool)
}

extension ServerSockets {
    /// Screens one message from the events socket (manual XPUB) on the request loop's thread:
    /// `[0x01 + topic]` subscribes, `[0x00 + topic]` unsubscribes. Whatever the gate accepts is
    /// applied here, before the next receive, as manual mode requires.
    func screen(_ message: ReceivedMessage) -> SubscriptionNotice? {
        guard let frame = message.frames.first, let kind = frame.first, kind <= 1 else { return nil }
        let topic = Data(frame.dropFirst())
        let peer = message.sourceDescriptor.flatMap(PeerConnection.init(descriptor:))
        if kind == 0 {
            guard let peer else {
                // libzmq unsubscribes, without metadata, everything a connection held when it ends.
                gate.withLock { $0.forgetPeers(unless: \.isAlive) }
                return nil
            }
            if gate.withLock({ $0.unsubscribe(topic, from: peer) }) == .withdrawn {
                applyToEvents { socket throws(ZMQError) in try socket.unsubscribe(topic) }
            }
            return nil
        }
        let (outcome, overLimit) = gate.withLock { gate in
            var outcome = gate.subscribe(topic, from: peer)
            if outcome == .refused(.totalLimit) && gate.forgetPeers(unless: \.isAlive) > 0 {
                // Counts of connections that ended unseen were holding places: try again without them.
                _ = gate.unsubscribe(topic, from: peer!)
                outcome = gate.subscribe(topic, from: peer)
            }
            return (outcome, peer.map { gate.isOverLimit($0) } ?? false)
        }
        switch outcome {
        case .accepted:
            applyToEvents { socket throws(ZMQError) in try socket.subscribe(topic) }
            return .accepted(topic: String(decoding: topic, as: UTF8.self))
        case .refused(let refusal):
            var disconnected = false
            if overLimit, let peer {
                disconnected = peer.disconnect(ifLocalPort: info.eventPort)
                gate.withLock { $0.forgetPeers(unless: { $0 != peer }) }
            }
            return .refused(refusal, disconnected: disconnected)
        case .withdrawn, .ignored:
            return nil
        }
    }

    private func applyToEvents(_ change: (Socket) throws(ZMQError) -> Void) {
        do {
            try requestLoop.configure(Self.eventsIndex, change)
        } catch {
            log("The events socket could not apply a subscription: \(error)")
        }
    }
}
