import XCTest
@testable import BallastProtocol

final class ParamsDecodingTests: XCTestCase {
    private func error(_ params: JSONValue) -> RPCError? {
        do {
            _ = try Initialize.Params.decodeChecked(from: params)
            return nil
        } catch {
            return error
        }
    }

    func testUnknownFieldIsRefusedWithAHint() {
        let refused = error(["clinet": ["name": "x"]])
        XCTAssertEqual(refused?.code, ErrorCode.invalidParams)
        XCTAssertEqual(refused?.data, ["field": "clinet"])
        XCTAssertTrue(refused?.message.contains("Did you mean 'client'?") ?? false)
    }

    func testEveryRequestMayCarryAProgressTokenButNestedObjectsMayNot() throws {
        XCTAssertNoThrow(try NoParams.decodeChecked(from: ["progress_token": "t"]))
        XCTAssertNoThrow(try Initialize.Params.decodeChecked(from: ["progress_token": 3]))
        XCTAssertThrowsError(try ModelTrain.Params.decodeChecked(from: ["dataset": "d", "model": ["type": "logistic", "progress_token": 1]]))
    }

    func testMissingAndMistypedFieldsNameTheirPath() {
        XCTAssertEqual(error(["client": ["version": "1"]])?.data, ["field": "client.name"])
        XCTAssertEqual(error(["client": ["version": "1"]])?.message, "The field 'client.name' is required.")
        XCTAssertEqual(error(["client": ["name": 3]])?.message, "The field 'client.name' must be a string.")
        XCTAssertEqual(error(["protocol_version": [1]])?.data, ["field": "protocol_version"])
    }

    func testValidParamsDecode() throws {
        let params = try Initialize.Params.decodeChecked(from: ["client": ["name": "n", "version": "2"], "protocol_version": "1.0"])
        XCTAssertEqual(params, Initialize.Params(client: .init(name: "n", version: "2"), protocolVersion: "1.0"))
        XCTAssertThrowsError(try Initialize.Params(protocolVersion: "2.1").checkCompatible())
        XCTAssertNoThrow(try Initialize.Params(protocolVersion: "1.7").checkCompatible())
        for malformed in ["1", "1.x", "1.2.3", ".1", "1.", "١.٢"] {
            XCTAssertThrowsError(try Initialize.Params(protocolVersion: malformed).checkCompatible(), malformed)
        }
    }

    func testResultsEncodeWithWireNames() throws {
        let result = try JSONValue(encoding: Ping.Result(uptimeSeconds: 1.5))
        XCTAssertEqual(result, ["pong": true, "uptime_s": 1.5])
        XCTAssertEqual(try JSONValue(encoding: NullResult()), .null)
    }
}
