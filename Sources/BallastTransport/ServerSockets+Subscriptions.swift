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
    ///
    /// - Important: in manual mode libzmq 4.3 records, for each (un)subscription it queues, the
    ///   connection it came from, and `subscribe` applies to the one recorded for the message last
    ///   received. A message that is not a subscription is queued without a record, yet its receive
    ///   consumes one, so every (un)subscription queued behind it would be applied to another
    ///   connection's. Such a message disconnects its sender, and until the queue has been read
    ///   empty nothing is applied or withdrawn.
    func screen(_ frames: [Data], source: Int32) -> SubscriptionNotice? {
        defer { settleWhenDrained() }
        // -1: libzmq made the message itself (the unsubscriptions of a connection that ended).
        let peer = source >= 0 ? PeerConnection(descriptor: source) : nil
        guard frames.count == 1, let frame = frames.first, let kind = frame.first, kind <= 1 else {
            eventsUnsettled.store(true, ordering: .relaxed)
            let disconnected = peer?.disconnect(ifLocalPort: info.eventPort) ?? false
            if let peer { _ = gate.withLock { $0.forgetPeers(unless: { $0 != peer }) } }
            return .refused(.notASubscription, disconnected: disconnected)
        }
        let topic = Data(frame.dropFirst())
        let unsettled = eventsUnsettled.load(ordering: .relaxed)
        if kind == 0 {
            guard let peer else {
                // libzmq unsubscribes, without metadata, everything a connection held when it ends.
                _ = gate.withLock { $0.forgetPeers(unless: \.isAlive) }
                return nil
            }
            // Unsettled, the withdrawal could land on another connection: keep counting the topic
            // against its peer (libzmq keeps it applied) until that peer leaves.
            guard !unsettled else { return nil }
            if gate.withLock({ $0.unsubscribe(topic, from: peer) }) == .withdrawn {
                applyToEvents { socket throws(ZMQError) in try socket.unsubscribe(topic) }
            }
            return nil
        }
        let (outcome, overLimit) = gate.withLock { gate in
            if unsettled, let peer {
                // Not applied, but libzmq keeps it all the same: it counts against the peer.
                gate.recordRefusal(from: peer)
                return (SubscriptionOutcome.refused(.unsettled), gate.isOverLimit(peer))
            }
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
                _ = gate.withLock { $0.forgetPeers(unless: { $0 != peer }) }
            }
            return .refused(refusal, disconnected: disconnected)
        case .withdrawn, .ignored:
            return nil
        }
    }

    /// Ends the unsettled state once the events socket has nothing more queued.
    private func settleWhenDrained() {
        guard eventsUnsettled.load(ordering: .relaxed) else { return }
        do {
            try requestLoop.configure(Self.eventsIndex) { socket throws(ZMQError) in
                if try !socket.hasInput { eventsUnsettled.store(false, ordering: .relaxed) }
            }
        } catch {
            log("The events socket could not be asked for what it holds: \(error)")
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
