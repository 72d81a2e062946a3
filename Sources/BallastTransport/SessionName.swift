import Foundation

/// Session names: the lowercase hex of a ZeroMQ routing identity, computed the same on both sides.
public enum SessionName {
    public static func of(_ identity: Data) -> String { MessageSigner.hex(Array(identity)) }
}
