import XCTest
@testable import BallastProtocol

/// A whole-number field given a number it cannot hold is refused by name, with its range.
final class WholeNumberDecodingTests: XCTestCase {
    private func refusal(_ params: JSONValue) -> RPCError? {
        do {
            _ = try DatasetGenerate.Params.decodeChecked(from: params)
            return nil
        } catch {
            return error
        }
    }

    func testNumbersOutsideTheFieldsTypeNameTheFieldAndTheRange() throws {
        let odd: [JSONValue] = [.double(1e300), .double(-1e19), .double(9_223_372_036_854_775_808), .double(1.5)]
        for value in odd {
            let refused = try XCTUnwrap(refusal(["rows": value, "features": 3]), "\(value) was accepted")
            XCTAssertEqual(refused.code, ErrorCode.invalidParams)
            XCTAssertEqual(refused.data, ["field": "rows"], "\(value)")
            XCTAssertTrue(refused.message.hasPrefix("The field 'rows' must be a whole number from -9223372036854775808 to 9223372036854775807, got "),
                          refused.message)
        }
    }

    func testAWholeNumberWrittenWithAFractionPartIsAccepted() throws {
        let params = try DatasetGenerate.Params.decodeChecked(from: ["rows": .double(300), "features": 3])
        XCTAssertEqual(params.rows, 300)
    }

    func testNestedAndIndexedPathsAreNamed() {
        do {
            _ = try ModelTrain.Params.decodeChecked(from: ["dataset": "d", "model": ["type": "mlp", "hidden": [8, .double(0.5)]]])
            XCTFail("a fractional layer size was accepted")
        } catch {
            XCTAssertEqual(error.data, ["field": "model.hidden[1]"])
        }
    }

    func testMistypedValuesStillSayWhatWasExpected() {
        XCTAssertEqual(refusal(["rows": "many", "features": 3])?.message, "The field 'rows' must be an integer.")
        XCTAssertEqual(refusal(["rows": true, "features": 3])?.data, ["field": "rows"])
    }
}
