import BallastProtocol
import Foundation
import XCTest
import BallastTransport

/// Binary buffers after the payload (protocol/README.md sections 1 and 2): the signature covers
/// them, length-prefixed, and the framing carries them on the request socket only.
final class BufferSigningTests: XCTestCase {
    func testSignaturesWithBuffersMatchTheProtocolVectors() throws {
        let file = try JSONParser.parse(Data(contentsOf: SignerTests.examples.appendingPathComponent("signing.json")))
        let vectors = try XCTUnwrap(file["vectors_with_buffers"]?.arrayValue)
        XCTAssertGreaterThanOrEqual(vectors.count, 4)
        for vector in vectors {
            let signer = MessageSigner(key: try XCTUnwrap(vector["key"]?.stringValue))
            let payload = Array(try XCTUnwrap(vector["payload"]?.stringValue).utf8)
            let buffers = try XCTUnwrap(vector["buffers"]?.arrayValue).map { Data(base64Encoded: $0.stringValue ?? "")! }
            let expected = try XCTUnwrap(vector["signature"]?.stringValue)
            XCTAssertEqual(signer.signature(of: payload, buffers: buffers), expected)
            XCTAssertTrue(signer.verify(signature: Array(expected.utf8), payload: payload, buffers: buffers))
        }
    }

    func testNoBuffersSignsExactlyAsBefore() {
        let signer = MessageSigner(key: "Jefe")
        let payload = Array("what do ya want for nothing?".utf8)
        XCTAssertEqual(signer.signature(of: payload, buffers: []), "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    }

    func testAnyChangeToTheBuffersFailsVerification() {
        let signer = MessageSigner(key: "k")
        let payload = Data("{\"id\":1}".utf8)
        let buffers = [Data([1, 2, 3]), Data([4])]
        let good = Data(signer.signature(of: payload, buffers: buffers).utf8)
        XCTAssertTrue(signer.verify(signature: good, payload: payload, buffers: buffers))
        XCTAssertFalse(signer.verify(signature: good, payload: payload), "buffers dropped")
        XCTAssertFalse(signer.verify(signature: good, payload: payload, buffers: [Data([1, 2, 3])]), "one buffer dropped")
        XCTAssertFalse(signer.verify(signature: good, payload: payload, buffers: buffers + [Data()]), "an empty buffer added")
        XCTAssertFalse(signer.verify(signature: good, payload: payload, buffers: [Data([4]), Data([1, 2, 3])]), "reordered")
        XCTAssertFalse(signer.verify(signature: good, payload: payload, buffers: [Data([1, 2]), Data([3, 4])]), "cut elsewhere")
        XCTAssertFalse(signer.verify(signature: good, payload: payload, buffers: [Data([1, 2, 9]), Data([4])]), "a byte changed")
    }

    func testOnlyTheRequestSocketFramingAdmitsBuffers() throws {
        let frames = [Data("id".utf8), Data("sig".utf8), Data("payload".utf8), Data([1]), Data([2])]
        let routed = try XCTUnwrap(Frames.routed(frames, buffersAllowed: true))
        XCTAssertEqual(routed.payload, Data("payload".utf8))
        XCTAssertEqual(routed.buffers, [Data([1]), Data([2])])
        XCTAssertNil(Frames.routed(frames, buffersAllowed: false), "the control socket keeps [identity, signature, payload]")
        XCTAssertEqual(try XCTUnwrap(Frames.routed(Array(frames.prefix(3)))).buffers, [])
        XCTAssertNil(Frames.routed(Array(frames.prefix(2)), buffersAllowed: true))
    }

    func testLittleEndianArraysRoundTrip() {
        let floats: [Float] = [1, -2.5, .infinity, 0x1p-149, 3.25]
        let data = LittleEndianArrays.data(floats)
        XCTAssertEqual(Array(data.prefix(4)), [0x00, 0x00, 0x80, 0x3F], "1.0 as float32, little-endian")
        XCTAssertEqual(LittleEndianArrays.floats(data).map(\.bitPattern), floats.map(\.bitPattern))
        let ints: [Int32] = [0, 1, -1, .max]
        XCTAssertEqual(Array(LittleEndianArrays.data(ints).prefix(8)), [0, 0, 0, 0, 1, 0, 0, 0])
        XCTAssertEqual(LittleEndianArrays.int32s(LittleEndianArrays.data(ints)), ints)
    }
}
