import Crypto
import Foundation

/// Signs and verifies messages: lowercase hex of HMAC-SHA256, keyed by the connection file's `key`
/// string taken as UTF-8 bytes (Jupyter's convention), over the exact payload bytes and then, for
/// each buffer in order, its byte length as an 8-byte little-endian unsigned integer followed by
/// its bytes (protocol/README.md section 2). Without buffers this is the HMAC of the payload alone.
///
/// The hashing is swift-crypto's, which on Linux is BoringSSL's SHA-256 (with the CPU's SHA
/// extensions where it has them): about 7 times libsodium's portable SHA-256 on a machine with
/// SHA-NI, which matters once a message carries 16 MiB of buffers.
public struct MessageSigner: Sendable {
    /// The HMAC state after absorbing the key's inner and outer pads: each message starts from a
    /// copy of it instead of hashing the key again (two SHA-256 blocks saved per message).
    private let keyed: HMAC<SHA256>

    public init(key: String) {
        precondition(!key.isEmpty, "an empty key would sign nothing")
        keyed = HMAC<SHA256>(key: SymmetricKey(data: Array(key.utf8)))
    }

    /// 32 random bytes as 64 hex characters: a fresh key for a connection file.
    public static func randomKey() -> String {
        SymmetricKey(size: .bits256).withUnsafeBytes { hex(Array($0)) }
    }

    public func signature(of payload: some ContiguousBytes, buffers: [Data] = []) -> String {
        Self.hex(mac(payload, buffers))
    }

    /// Compares in constant time; a signature of the wrong length or not lowercase hex fails, and
    /// so does one made over other buffers (or the same buffers cut elsewhere).
    public func verify(signature: some ContiguousBytes, payload: some ContiguousBytes, buffers: [Data] = []) -> Bool {
        let expected = mac(payload, buffers)
        return signature.withUnsafeBytes { given -> Bool in
            guard given.count == 2 * expected.count else { return false }
            // Decode the given hex (lowercase only) and compare every byte, whatever differs first.
            var difference: UInt8 = 0
            var valid: UInt8 = 1
            for index in 0..<expected.count {
                let (high, highOK) = Self.nibble(given[2 * index])
                let (low, lowOK) = Self.nibble(given[2 * index + 1])
                difference |= (high << 4 | low) ^ expected[index]
                valid &= highOK & lowOK
            }
            return valid == 1 && difference == 0
        }
    }

    /// The value of a lowercase hex digit, and 1 when it is one (branch-free, for constant time).
    private static func nibble(_ c: UInt8) -> (UInt8, UInt8) {
        let digit = c &- 48, letter = c &- 97
        let isDigit: UInt8 = digit < 10 ? 1 : 0
        let isLetter: UInt8 = letter < 6 ? 1 : 0
        return (isDigit &* digit | isLetter &* (letter &+ 10), isDigit | isLetter)
    }

    private func mac(_ payload: some ContiguousBytes, _ buffers: [Data]) -> [UInt8] {
        var state = keyed
        payload.withUnsafeBytes { state.update(data: $0) }
        for buffer in buffers {
            // The length first, so that moving bytes from one buffer to the next changes the signature.
            withUnsafeBytes(of: UInt64(buffer.count).littleEndian) { state.update(data: $0) }
            buffer.withUnsafeBytes { state.update(data: $0) }
        }
        return state.finalize().withUnsafeBytes { Array($0) }
    }

    static func hex(_ bytes: [UInt8]) -> String {
        String(unsafeUninitializedCapacity: bytes.count * 2) { out in
            let digits: StaticString = "0123456789abcdef"
            let table = digits.utf8Start
            for (index, byte) in bytes.enumerated() {
                out[2 * index] = table[Int(byte >> 4)]
                out[2 * index + 1] = table[Int(byte & 0x0F)]
            }
            return bytes.count * 2
        }
    }
}
