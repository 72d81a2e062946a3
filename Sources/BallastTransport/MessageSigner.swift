import CSodium
import Foundation

/// Signs and verifies payloads: lowercase hex of HMAC-SHA256 over the exact payload bytes, keyed
/// by the connection file's `key` string taken as UTF-8 bytes (Jupyter's convention).
public struct MessageSigner: Sendable {
    private let key: [UInt8]

    public init(key: String) {
        precondition(!key.isEmpty, "an empty key would sign nothing")
        _ = Self.libraryReady
        self.key = Array(key.utf8)
    }

    private static let libraryReady: Bool = sodium_init() >= 0

    /// 32 random bytes as 64 hex characters: a fresh key for a connection file.
    public static func randomKey() -> String {
        _ = libraryReady
        var bytes = [UInt8](repeating: 0, count: 32)
        randombytes_buf(&bytes, bytes.count)
        return hex(bytes)
    }

    public func signature(of payload: some ContiguousBytes) -> String {
        Self.hex(mac(payload))
    }

    /// Compares in constant time; a signature of the wrong length or not lowercase hex fails.
    public func verify(signature: some ContiguousBytes, payload: some ContiguousBytes) -> Bool {
        let expected = Array(Self.hex(mac(payload)).utf8)
        return signature.withUnsafeBytes { given in
            given.count == expected.count
                && sodium_memcmp(given.baseAddress!, expected, expected.count) == 0
        }
    }

    private func mac(_ payload: some ContiguousBytes) -> [UInt8] {
        var state = crypto_auth_hmacsha256_state()
        var out = [UInt8](repeating: 0, count: Int(crypto_auth_hmacsha256_BYTES))
        crypto_auth_hmacsha256_init(&state, key, key.count)
        payload.withUnsafeBytes { bytes in
            _ = crypto_auth_hmacsha256_update(&state, bytes.bindMemory(to: UInt8.self).baseAddress, UInt64(bytes.count))
        }
        crypto_auth_hmacsha256_final(&state, &out)
        return out
    }

    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
