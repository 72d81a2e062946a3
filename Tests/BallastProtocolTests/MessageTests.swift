import XCTest
@testable import BallastProtocol

final class MessageTests: XCTestCase {
    private func classify(_ text: String) -> Result<Message, Message.ParseFailure> {
        Message.parse(Array(text.utf8))
    }

    func testClassifiesRequestsNotificationsAndResponses() {
        XCTAssertEqual(try classify(#"{"jsonrpc":"2.0","id":"a","method":"ping"}"#).get(),
                       .request(id: .string("a"), method: "ping", params: [:]))
        XCTAssertEqual(try classify(#"{"jsonrpc":"2.0","method":"exit"}"#).get(), .notification(method: "exit", params: [:]))
        XCTAssertEqual(try classify(#"{"jsonrpc":"2.0","id":3,"result":null}"#).get(), .response(id: .number(3), outcome: .result(nil)))
        XCTAssertEqual(try classify(#"{"jsonrpc":"2.0","id":3,"error":{"code":-1,"message":"m"}}"#).get(),
                       .response(id: .number(3), outcome: .error(RPCError(code: -1, message: "m"))))
    }

    func testInvalidMessagesGiveTheRightCodeAndKeepTheIdWhenReadable() {
        let cases: [(String, Int, RequestID?)] = [
            ("{", ErrorCode.parseError, nil),
            (#"[{"jsonrpc":"2.0","id":1,"method":"ping"}]"#, ErrorCode.invalidRequest, nil),
            ("3", ErrorCode.invalidRequest, nil),
            (#"{"id":7,"method":"ping"}"#, ErrorCode.invalidRequest, .number(7)),
            (#"{"jsonrpc":"2.0","id":7,"method":""}"#, ErrorCode.invalidRequest, .number(7)),
            (#"{"jsonrpc":"2.0","id":{},"method":"ping"}"#, ErrorCode.invalidRequest, nil),
            (#"{"jsonrpc":"2.0","id":7,"method":"ping","params":3}"#, ErrorCode.invalidRequest, .number(7)),
            (#"{"jsonrpc":"2.0","id":7}"#, ErrorCode.invalidRequest, .number(7)),
        ]
        for (text, code, id) in cases {
            guard case .failure(let failure) = classify(text) else { return XCTFail("accepted \(text)") }
            XCTAssertEqual(failure.error.code, code, text)
            XCTAssertEqual(failure.id, id, text)
            XCTAssertFalse(failure.error.message.isEmpty)
        }
    }
}
