import Foundation

/// Decides which subscriptions the events socket applies, so a peer that holds no key (anyone on
/// the machine may connect to the events socket) cannot make the daemon keep without bound.
///
/// A topic must have a known shape (the empty topic, a prefix of a family such as `run.` or
/// `daemon`, or a family followed by an id) and a bounded length; each peer may hold a bounded
/// number, and all peers together another. Unsubscriptions bring the counts down again.
///
/// libzmq also remembers, per connection, every subscription it passed up, refused ones included:
/// a peer whose accepted plus refused subscriptions pass `disconnectAbove` is to be disconnected,
/// which frees them. `Peer` names one live connection.
///
/// - Important: not thread-safe; the events socket's loop thread owns it.
public struct SubscriptionGate<Peer: Hashable> {
    private struct Held {
        var accepted: Set<Data> = []
        var refused = 0
    }

    public let limits: SubscriptionLimits
    private var peers: [Peer: Held] = [:]
    public private(set) var totalAccepted = 0

    public init(limits: SubscriptionLimits = SubscriptionLimits()) { self.limits = limits }

    /// How many subscriptions `peer` holds that were applied.
    public func accepted(by peer: Peer) -> Int { peers[peer]?.accepted.count ?? 0 }

    /// Whether `peer` holds more subscriptions than it may (so it should be disconnected).
    public func isOverLimit(_ peer: Peer) -> Bool {
        guard let held = peers[peer] else { return false }
        return held.accepted.count + held.refused > limits.disconnectAbove
    }

    public mutating func subscribe(_ topic: Data, from peer: Peer?) -> SubscriptionOutcome {
        guard let peer else { return .refused(.unknownPeer) }
        var held = peers[peer, default: Held()]
        defer { peers[peer] = held }
        if held.accepted.contains(topic) { return .accepted }
        let refusal: SubscriptionRefusal? =
            if topic.count > limits.maxTopicBytes { .length }
            else if !hasKnownShape(topic) { .shape }
            else if held.accepted.count >= limits.perPeer { .peerLimit }
            else if totalAccepted >= limits.total { .totalLimit }
            else { nil }
        if let refusal {
            held.refused += 1
            return .refused(refusal)
        }
        held.accepted.insert(topic)
        totalAccepted += 1
        return .accepted
    }

    /// Counts a subscription refused for a reason of the caller's against `peer`.
    public mutating func recordRefusal(from peer: Peer) {
        peers[peer, default: Held()].refused += 1
    }

    public mutating func unsubscribe(_ topic: Data, from peer: Peer) -> SubscriptionOutcome {
        guard var held = peers[peer] else { return .ignored }
        defer { peers[peer] = held.accepted.isEmpty && held.refused == 0 ? nil : held }
        if held.accepted.remove(topic) != nil {
            totalAccepted -= 1
            return .withdrawn
        }
        held.refused = max(0, held.refused - 1)
        return .ignored
    }

    /// Forgets every peer `isAlive` says has gone; returns how many.
    @discardableResult
    public mutating func forgetPeers(unless isAlive: (Peer) -> Bool) -> Int {
        let gone = peers.keys.filter { !isAlive($0) }
        for peer in gone {
            totalAccepted -= peers[peer]?.accepted.count ?? 0
            peers[peer] = nil
        }
        return gone.count
    }

    /// "" , a prefix of a family (`ru`, `run.`), or a family ending in `.` followed by an id.
    public func hasKnownShape(_ topic: Data) -> Bool {
        for family in limits.families {
            let familyBytes = Data(family.utf8)
            if familyBytes.starts(with: topic) { return true }
            if family.hasSuffix("."), topic.starts(with: familyBytes),
               topic.dropFirst(familyBytes.count).allSatisfy(Self.isIDByte) { return true }
        }
        return false
    }

    private static func isIDByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "-"): true
        default: false
        }
    }
}

/// Why a subscription was not applied; the raw values are what logs say.
public enum SubscriptionRefusal: String, Sendable, CaseIterable {
    case shape = "a topic of an unknown shape"
    case length = "a topic that is too long"
    case peerLimit = "one subscription more than a peer may hold"
    case totalLimit = "one subscription more than all peers together may hold"
    case unknownPeer = "a subscription from an unknown connection"
    /// Something other than a single-frame (un)subscription: no SUB socket sends one.
    case notASubscription = "a message that is not a subscription"
    /// Queued behind such a message, which leaves libzmq unsure which connection sent what.
    case unsettled = "a subscription queued behind a message that was not one"
}

public enum SubscriptionOutcome: Equatable, Sendable {
    /// Apply it (and welcome the subscriber).
    case accepted
    case refused(SubscriptionRefusal)
    /// An accepted subscription was withdrawn: un-apply it.
    case withdrawn
    /// Nothing to do (the unsubscription of something never applied).
    case ignored
}

/// What the events socket lets peers that hold no key subscribe to.
public struct SubscriptionLimits: Sendable {
    /// Topics (or prefixes of them) the daemon publishes on. A family ending in `.` may be
    /// followed by an id of letters, digits, `.`, `_` and `-`.
    public var families = ["run.", "daemon"]
    public var maxTopicBytes = 128
    public var perPeer = 64
    public var total = 4_096
    /// A peer holding more than this many subscriptions, accepted or refused, is disconnected.
    public var disconnectAbove = 256

    public init() {}
}
