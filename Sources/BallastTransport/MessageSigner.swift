import CSodium
import Foundation

/// Signs and verifies messages: lowercase hex of HMAC-SHA256, keyed by the connection file's `key`
/// string taken as UTF-8 bytes (Jupyter's convention), over the exact payload bytes and then, for
/// each buffer in order, its byte length as an 8-byte little-endian unsigned integer followed by
/// its bytes (protocol/README.md section 2). Without buffers this is the HMAC of the payload alone.
public struct MessageSigner: @unchecked Sendable {
    // @unchecked: `keyed` is a plain C struct of integers, written once in init and only copied after.
    /// The HMAC state after absorbing the key's inner and outer pads: each message starts from a
    /// copy of it instead of hashing the key again (two SHA-256 blocks saved per message).
    private let keyed: crypto_auth_hmacsha256_state

    public init(key: String) {
        precondition(!key.isEmpty, "an empty key would sign nothing")
        _ = Self.libraryReady
        let bytes = Array(key.utf8)
        var state = crypto_auth_hmacsha256_state()
        crypto_auth_hmacsha256_init(&state, bytes, bytes.count)
        keyed = state
    }

    private static let libraryReady: Bool = sodium_init() >= 0

    /// 32 random bytes as 64 hex characters: a fresh key for a connection file.
    public static func randomKey() -> String {
        _ = libraryReady
        var bytes = [UInt8](repeating: 0, count: 32)
        randombytes_buf(&bytes, bytes.count)
        return hex(bytes)
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
            // Decode the given hex (lowercase only) and compare the bytes in constant time.
            var decoded = [UInt8](repeating: 0, count: expected.count)
            var valid: UInt8 = 1
            for index in 0..<expected.count {
                let (high, highOK) = Self.nibble(given[2 * index])
                let (low, lowOK) = Self.nibble(given[2 * index + 1])
                decoded[index] = high << 4 | low
                valid &= highOK & lowOK
            }
            return valid == 1 && sodium_memcmp(decoded, expected, expected.count) == 0
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
        var out = [UInt8](repeating: 0, count: Int(crypto_auth_hmacsha256_BYTES))
        func absorb(_ bytes: UnsafeRawBufferPointer) {
            _ = crypto_auth_hmacsha256_update(&state, bytes.bindMemory(to: UInt8.self).baseAddress, UInt64(bytes.count))
        }
        payload.withUnsafeBytes(absorb)
        for buffer in buffers {
            // The length first, so that moving bytes from one buffer to the next changes the signature.
            withUnsafeBytes(of: UInt64(buffer.count).littleEndian, absorb)
            buffer.withUnsafeBytes(absorb)
        }
        crypto_auth_hmacsha256_final(&state, &out)
        return out
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
