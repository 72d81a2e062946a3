import BallastProtocol
import XCTest

/// dataset/put's result is one of two shapes, told apart by `upload`; buffer references keep
/// their wire keys.
final class DatasetPutCodingTests: XCTestCase {
    func testAPendingChunkAndALastChunkDecodeToTheirOwnCases() throws {
        let pending: JSONValue = ["upload": "u-1", "rows_received": 10]
        XCTAssertEqual(try pending.decode(as: DatasetPut.Result.self), .pending(.init(upload: "u-1", rowsReceived: 10)))
        let done: JSONValue = ["dataset": ["name": "d", "rows": 2, "features": 1, "feature_names": ["x"],
                                           "classes": [["label": "a", "count": 1], ["label": "b", "count": 1]],
                                           "imbalance_ratio": 1, "bytes": 16],
                               "dropped_rows": 0, "encoded_columns": [], "skipped_lines": ["count": 0, "first": []],
                               "warnings": [], "seconds": 0.1, "mb_per_s": 1]
        guard case .done(let result) = try done.decode(as: DatasetPut.Result.self) else { return XCTFail("not the last chunk's shape") }
        XCTAssertEqual(result.dataset.name, "d")
        XCTAssertEqual(try JSONValue(encoding: DatasetPut.Result.pending(.init(upload: "u-2", rowsReceived: 3, aborted: true))),
                       ["upload": "u-2", "rows_received": 3, "aborted": true])
    }

    func testBufferReferencesAndTypedBuffersKeepTheirWireKeys() throws {
        XCTAssertEqual(try JSONValue(encoding: BufferReference(buffer: 2)), ["buffer": 2])
        let typed = TypedBuffer(buffer: 0, dtype: .float32, shape: [3, 4])
        XCTAssertEqual(try JSONValue(encoding: typed), ["buffer": 0, "dtype": "float32", "shape": [3, 4]])
        XCTAssertEqual(typed.byteCount, 48)
        XCTAssertThrowsError(try DatasetPut.Params.decodeChecked(from: ["features": ["buffer": 0, "dtype": "float32"]]),
                             "a param reference is {\"buffer\": i} alone")
    }
}
