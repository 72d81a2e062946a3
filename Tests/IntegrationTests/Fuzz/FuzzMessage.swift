import Foundation

/// One message the fuzzer sends, and what it expects of it.
struct FuzzMessage {
    enum Kind: String, CaseIterable {
        /// Correctly signed, well-formed JSON-RPC whose params were mutated.
        case params
        /// Correctly signed payload broken at the byte level.
        case json
        /// Correctly signed control-socket message with mutated params.
        case control
        /// An effectful marker with a missing, wrong or borrowed signature.
        case unsigned
        /// Too few or too many frames, or empty ones.
        case framing
        /// The exact frames of an earlier correctly signed message, sent again.
        case replay
        /// A request-socket request with binary buffers after its payload (since 1.6): signed
        /// with them and mutated in its references, counts and lengths, or (unauthentic) a
        /// marker whose buffers were changed after signing.
        case buffers
    }

    enum Channel { case request, control }

    var kind: Kind
    var channel: Channel
    var frames: [Data]
    /// True when the daemon must admit it: correctly signed and never sent before. Every other
    /// message must be dropped unexecuted and counted in `status.rejected`.
    var authentic: Bool
    /// The id of a well-formed signed request whose one reply is tracked (nil for the rest).
    var trackedID: Int64? = nil
    var method: String? = nil
}
