import Foundation
import Synchronization

/// The gate every incoming message passes: signature check, then replay check, with counts of
/// what was turned away. Shared by the request and control sockets.
public final class Authenticator: Sendable {
    public enum Rejection: String, Sendable, CaseIterable {
        case badSignature = "bad_signature"
        case replayed
        case malformed
    }

    public let signer: MessageSigner
    private let replays: ReplayGuard
    private let counts = Mutex([Rejection: Int]())

    public init(signer: MessageSigner, replayCapacity: Int = 65_536) {
        self.signer = signer
        self.replays = ReplayGuard(capacity: replayCapacity)
    }

    /// Returns nil when the payload may be executed, or why it may not. The signature covers the
    /// buffers too: a message whose buffers were changed, added, dropped or reordered is a bad signature.
    public func check(signature: Data, payload: Data, buffers: [Data] = []) -> Rejection? {
        let rejection: Rejection?
        if !signer.verify(signature: signature, payload: payload, buffers: buffers) {
            rejection = .badSignature
        } else if !replays.admit(String(decoding: signature, as: UTF8.self)) {
            rejection = .replayed
        } else {
            rejection = nil
        }
        if let rejection { count(rejection) }
        return rejection
    }

    public func count(_ rejection: Rejection) {
        counts.withLock { $0[rejection, default: 0] += 1 }
    }

    public var rejectedCounts: [String: Int] {
        counts.withLock { counts in
            Dictionary(uniqueKeysWithValues: Rejection.allCases.map { ($0.rawValue, counts[$0] ?? 0) })
        }
    }
}
