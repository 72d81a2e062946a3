import Foundation
import XCTest
@testable import BallastProtocol

final class JSONValueEncoderTests: XCTestCase {
    private struct Sample: Codable, Equatable {
        enum Kind: String, Codable { case a, b }
        struct Inner: Codable, Equatable { var x: [Double]; var y: Int? }
        var name: String
        var count: Int
        var ratio: Double
        var missing: String?
        var kind: Kind
        var inner: [Inner]
        var table: [String: [Int]]
        var nested: [[Float]]
        var any: JSONValue
        var flag: Bool
        var big: UInt64
    }

    private let sample = Sample(name: "n\u{e9}", count: -3, ratio: 0.1, missing: nil, kind: .b,
                                inner: [.init(x: [1.5, -2], y: nil), .init(x: [], y: 7)],
                                table: ["k": [1, 2], "": []], nested: [[0.25], []],
                                any: ["deep": [true, nil, "s"]], flag: false, big: 1 << 40)

    func testMatchesFoundationsEncoderFollowedByAParse() throws {
        let foundation = try JSONEncoder().encode(sample)
        XCTAssertEqual(try JSONValueEncoder().encode(sample), try JSONParser.parse(foundation))
    }

    func testRoundTripsThroughTheDecoder() throws {
        XCTAssertEqual(try JSONValue(encoding: sample).decode(as: Sample.self), sample)
    }

    func testTopLevelScalarsAndNil() throws {
        XCTAssertEqual(try JSONValueEncoder().encode(3), 3)
        XCTAssertEqual(try JSONValueEncoder().encode("x"), "x")
        XCTAssertEqual(try JSONValueEncoder().encode(NullResult()), .null)
        XCTAssertEqual(try JSONValueEncoder().encode([1.0, 2.5]), [1.0, 2.5])
    }

    func testNonFiniteNumbersAreRefusedWithTheirPath() {
        struct Bad: Encodable { var values = [1.0, .nan] }
        XCTAssertThrowsError(try JSONValueEncoder().encode(Bad())) { error in
            guard case EncodingError.invalidValue(_, let context) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }, ["values", "1"])
        }
    }
}
