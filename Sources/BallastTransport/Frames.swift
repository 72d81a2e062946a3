import Foundation

/// The wire framing, fixed by protocol/README.md:
/// - request and control sockets: client DEALER sends `[signature, payload]`; the daemon's ROUTER
///   sees `[identity, signature, payload]` and answers `[identity, signature, payload]`.
/// - events: `[topic, signature, payload]` from the daemon's XPUB.
public enum Frames {
    public struct Routed: Sendable {
        public var identity: Data
        public var signature: Data
        public var payload: Data
    }

    /// Splits what a ROUTER received; nil when the frame count is wrong.
    public static func routed(_ frames: [Data]) -> Routed? {
        guard frames.count == 3 else { return nil }
        return Routed(identity: frames[0], signature: frames[1], payload: frames[2])
    }

    public static func signed(_ payload: Data, with signer: MessageSigner) -> [Data] {
        [Data(signer.signature(of: payload).utf8), payload]
    }

    public static func reply(to identity: Data, _ payload: Data, with signer: MessageSigner) -> [Data] {
        [identity] + signed(payload, with: signer)
    }

    public static func event(topic: String, _ payload: Data, with signer: MessageSigner) -> [Data] {
        [Data(topic.utf8)] + signed(payload, with: signer)
    }
}
