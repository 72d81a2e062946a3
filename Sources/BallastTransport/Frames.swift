import Foundation

/// The wire framing, fixed by protocol/README.md section 1:
/// - request socket: client DEALER sends `[signature, payload, buffer_0, …]`; the daemon's ROUTER
///   sees `[identity, signature, payload, buffer_0, …]` and answers the same way. Buffers are raw
///   bytes a payload refers to as `{"buffer": i}`; most messages carry none.
/// - control socket: exactly `[signature, payload]` (`[identity, signature, payload]` at the ROUTER).
/// - events: `[topic, signature, payload]` from the daemon's XPUB, never with buffers.
public enum Frames {
    /// The most buffers one message may carry (protocol/README.md section 1).
    public static let maxBuffers = 64

    public struct Routed: Sendable {
        public var identity: Data
        public var signature: Data
        public var payload: Data
        /// The frames after the payload, in order; empty on the control socket.
        public var buffers: [Data]
    }

    /// Splits what a ROUTER received; nil when the frame count is wrong: fewer than three frames,
    /// more than three where `buffersAllowed` is false (the control socket), or more than
    /// `maxBuffers` buffers. The count is checked before the signature, so nobody can make the
    /// daemon hash an unbounded number of frames.
    public static func routed(_ frames: [Data], buffersAllowed: Bool = false) -> Routed? {
        guard frames.count == 3 || (buffersAllowed && frames.count > 3 && frames.count - 3 <= maxBuffers) else { return nil }
        return Routed(identity: frames[0], signature: frames[1], payload: frames[2], buffers: Array(frames[3...]))
    }

    /// `[signature, payload, buffers…]`, the signature covering the payload and the buffers.
    public static func signed(_ payload: Data, buffers: [Data] = [], with signer: MessageSigner) -> [Data] {
        [Data(signer.signature(of: payload, buffers: buffers).utf8), payload] + buffers
    }

    public static func reply(to identity: Data, _ payload: Data, buffers: [Data] = [], with signer: MessageSigner) -> [Data] {
        [identity] + signed(payload, buffers: buffers, with: signer)
    }

    public static func event(topic: String, _ payload: Data, with signer: MessageSigner) -> [Data] {
        [Data(topic.utf8)] + signed(payload, with: signer)
    }
}
