import XCTest
@testable import BallastProtocol

/// An id that cannot be an Int64 is no id: it is refused, never converted (which would trap).
final class RequestIDTests: XCTestCase {
    func testIntegralNumbersOutsideInt64AreNoIds() throws {
        for text in ["1e300", "9223372036854775808", "-1e19", "1.5", "1e19"] {
            let value = try JSONParser.parse(Array(text.utf8))
            XCTAssertNil(RequestID(value), text)
        }
        XCTAssertEqual(RequestID(try JSONParser.parse(Array("1e3".utf8))), .number(1000))
        XCTAssertEqual(RequestID(try JSONParser.parse(Array("-9223372036854775808".utf8))), .number(Int64.min))
    }

    func testAMessageWithSuchAnIdIsAnsweredWithANullId() {
        let payload = Array(#"{"jsonrpc": "2.0", "id": 1e300, "method": "ping"}"#.utf8)
        guard case .failure(let failure) = Message.parse(payload) else { return XCTFail("parsed") }
        XCTAssertNil(failure.id)
        XCTAssertEqual(failure.error.code, ErrorCode.invalidRequest)
        XCTAssertEqual(failure.error.data?["field"], "id")
    }
}
