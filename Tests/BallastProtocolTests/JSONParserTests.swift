import XCTest
@testable import BallastProtocol

final class JSONParserTests: XCTestCase {
    func testParsesEveryValueKind() throws {
        let value = try JSONParser.parse(#"{"a": [1, -2.5e3, true, false, null, "x\"\u00e9\ud83d\ude00\n"], "b": {}}"#)
        XCTAssertEqual(value, ["a": [1, -2500.0, true, false, nil, "x\"é😀\n"], "b": [:]])
        XCTAssertEqual(value["a"]?.arrayValue?[0], .int(1), "integers stay integers")
    }

    func testErrorsCarryLineAndColumn() {
        let cases: [(String, Int, Int, String)] = [
            ("{\"a\": 1,\n  \"b\": tru}", 2, 8, "Invalid literal"),
            ("{\"a\" 1}", 1, 6, "Expected ':'"),
            ("[1, 2", 1, 6, "Expected ',' or ']'"),
            ("{\"a\": 01}", 1, 8, "Expected ',' or '}'"),
            ("{\"a\": 1} x", 1, 10, "Unexpected text"),
            ("{\"a\": 1, \"a\": 2}", 1, 15, "Duplicate member"),
            ("\"\u{01}\"", 1, 2, "Control character"),
            ("", 1, 1, "Unexpected end of input"),
            ("{\"é\": x}", 1, 7, "Unexpected character 'x'"),
        ]
        for (text, line, column, reason) in cases {
            XCTAssertThrowsError(try JSONParser.parse(text), text) { error in
                let syntax = error as? JSONSyntaxError
                XCTAssertEqual(syntax?.line, line, text)
                XCTAssertEqual(syntax?.column, column, text)
                XCTAssertTrue(syntax?.reason.hasPrefix(reason) ?? false, "\(text): \(String(describing: syntax))")
            }
        }
    }

    func testRefusesInvalidUTF8AndLoneSurrogates() {
        XCTAssertThrowsError(try JSONParser.parse([0x22, 0xFF, 0xFE, 0x22]))
        XCTAssertThrowsError(try JSONParser.parse(#""\ud800""#))
    }

    func testDeepNestingIsRefusedNotACrash() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        XCTAssertThrowsError(try JSONParser.parse(deep)) { error in
            XCTAssertTrue((error as? JSONSyntaxError)?.reason.contains("nested deeper") ?? false)
        }
    }

    func testHugeNumbersAreRefusedAndBigIntegersBecomeDoubles() throws {
        XCTAssertThrowsError(try JSONParser.parse("1e400"))
        XCTAssertEqual(try JSONParser.parse("123456789012345678901234"), .double(1.2345678901234568e23))
    }

    func testWriterSortsKeysAndRoundTrips() throws {
        let value: JSONValue = ["b": 1, "a": ["z": 0.1, "y": "t\u{1}ab\t"], "c": [1e-7, -0.0, 3.0, 1e300]]
        let text = JSONWriter.string(value)
        XCTAssertEqual(text, #"{"a":{"y":"t\u0001ab\t","z":0.1},"b":1,"c":[1e-07,-0.0,3.0,1e+300]}"#)
        XCTAssertEqual(try JSONParser.parse(text), value)
        XCTAssertEqual(try JSONParser.parse(JSONWriter.string(value, pretty: true)), value)
    }

    func testShortestRoundTripForRandomDoubles() throws {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            let d = Double(bitPattern: generator.next() & 0x7FEF_FFFF_FFFF_FFFF) * (Bool.random() ? 1 : -1)
            XCTAssertEqual(try JSONParser.parse(JSONWriter.string([.double(d)]))[0 as Int], .double(d))
        }
    }
}

private extension JSONValue {
    subscript(index: Int) -> JSONValue? { arrayValue?[index] }
}
