import BallastProtocol
import Foundation
import XCTest
@testable import BallastTransport

final class SignerTests: XCTestCase {
    static let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("protocol/examples")

    func testSignaturesMatchTheProtocolVectors() throws {
        let file = try JSONParser.parse(Data(contentsOf: Self.examples.appendingPathComponent("signing.json")))
        let vectors = try XCTUnwrap(file["vectors"]?.arrayValue)
        XCTAssertGreaterThanOrEqual(vectors.count, 2)
        for vector in vectors {
            let signer = MessageSigner(key: try XCTUnwrap(vector["key"]?.stringValue))
            let payload = Array(try XCTUnwrap(vector["payload"]?.stringValue).utf8)
            let expected = try XCTUnwrap(vector["signature"]?.stringValue)
            XCTAssertEqual(signer.signature(of: payload), expected)
            XCTAssertTrue(signer.verify(signature: Array(expected.utf8), payload: payload))
        }
    }

    func testRFC4231TestCase2() {
        // HMAC-SHA256 with key "Jefe" over "what do ya want for nothing?" (RFC 4231, 4.3).
        XCTAssertEqual(MessageSigner(key: "Jefe").signature(of: Array("what do ya want for nothing?".utf8)),
                       "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    }

    func testVerificationFailsForAnyChange() {
        let signer = MessageSigner(key: "k")
        let payload = Array("{\"id\":1}".utf8)
        let good = Array(signer.signature(of: payload).utf8)
        XCTAssertFalse(signer.verify(signature: good, payload: Array("{\"id\":2}".utf8)))
        XCTAssertFalse(signer.verify(signature: Array(good.dropLast()), payload: payload), "short signature")
        XCTAssertFalse(signer.verify(signature: Array(signer.signature(of: payload).uppercased().utf8), payload: payload),
                       "uppercase hex is not the canonical form")
        XCTAssertFalse(signer.verify(signature: [UInt8](), payload: payload))
        var notHex = good
        notHex[5] = UInt8(ascii: "g")
        XCTAssertFalse(signer.verify(signature: notHex, payload: payload), "a non-hex digit fails even where it would decode")
        XCTAssertFalse(MessageSigner(key: "other").verify(signature: good, payload: payload))
    }

    func testRandomKeysAreLongAndDistinct() {
        let a = MessageSigner.randomKey(), b = MessageSigner.randomKey()
        XCTAssertEqual(a.count, 64)
        XCTAssertNotEqual(a, b)
    }
}

final class ReplayGuardTests: XCTestCase {
    func testRefusesRepeatsAndForgetsTheOldestPastCapacity() {
        let guardian = ReplayGuard(capacity: 3)
        XCTAssertTrue(guardian.admit("a"))
        XCTAssertFalse(guardian.admit("a"))
        XCTAssertTrue(guardian.admit("b"))
        XCTAssertTrue(guardian.admit("c"))
        XCTAssertTrue(guardian.admit("d"), "evicts a")
        XCTAssertFalse(guardian.admit("b"))
        XCTAssertTrue(guardian.admit("a"), "a was forgotten")
    }

    func testAuthenticatorCountsRejections() {
        let authenticator = Authenticator(signer: MessageSigner(key: "k"), replayCapacity: 10)
        let payload = Data("p".utf8)
        let signature = Data(authenticator.signer.signature(of: payload).utf8)
        XCTAssertNil(authenticator.check(signature: signature, payload: payload))
        XCTAssertEqual(authenticator.check(signature: signature, payload: payload), .replayed)
        XCTAssertEqual(authenticator.check(signature: Data("00".utf8), payload: payload), .badSignature)
        XCTAssertEqual(authenticator.rejectedCounts, ["bad_signature": 1, "replayed": 1, "malformed": 0])
    }
}
