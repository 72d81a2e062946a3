import XCTest
@testable import BallastProtocol

/// The 1.6 wire shapes of the model methods: a prediction given inline or as buffers, a model
/// file's object instead of a path, and the buffer references of params.
final class ModelWireShapeTests: XCTestCase {
    func testAPredictionIsInlineOrBufferedAndDecodesAsItWasWritten() throws {
        let inline = ModelPredict.Result(classes: ["0", "1"], probabilities: .inline([[0.75, 0.25]]), labels: .inline(["0"]),
                                         threshold: 0.5, truth: ["1"])
        let inlineJSON = try JSONValue(encoding: inline)
        XCTAssertEqual(inlineJSON["probabilities"], [[0.75, 0.25]])
        XCTAssertEqual(inlineJSON["labels"], ["0"])
        XCTAssertEqual(inlineJSON["truth"], ["1"])
        XCTAssertEqual(try inlineJSON.decode(as: ModelPredict.Result.self), inline)

        let buffered = ModelPredict.Result(classes: ["0", "1"], probabilities: .buffer(TypedBuffer(buffer: 0, dtype: .float32, shape: [3, 2])),
                                           labels: .buffer(TypedBuffer(buffer: 1, dtype: .int32, shape: [3])), threshold: nil)
        let bufferedJSON = try JSONValue(encoding: buffered)
        XCTAssertEqual(bufferedJSON["probabilities"], ["buffer": 0, "dtype": "float32", "shape": [3, 2]])
        XCTAssertEqual(bufferedJSON["labels"], ["buffer": 1, "dtype": "int32", "shape": [3]])
        XCTAssertNil(bufferedJSON["truth"])
        XCTAssertEqual(try bufferedJSON.decode(as: ModelPredict.Result.self), buffered)
    }

    func testParamsTakeBufferReferencesAndRefuseStrayMembersInThem() throws {
        let predict = try ModelPredict.Params.decodeChecked(from: ["model": "m", "features": ["buffer": 0], "columns": ["a"], "count": 2,
                                                                   "prior_correction": true])
        XCTAssertEqual(predict.features, BufferReference(buffer: 0))
        XCTAssertEqual(predict.priorCorrection, true)
        let train = try ModelTrain.Params.decodeChecked(from: ["dataset": "d", "sample_weight": ["buffer": 1], "keep": false])
        XCTAssertEqual(train.sampleWeight, BufferReference(buffer: 1))
        XCTAssertEqual(train.keep, false)
        XCTAssertThrowsError(try ModelTrain.Params.decodeChecked(from: ["dataset": "d", "sample_weight": ["buffer": 1, "dtype": "float32"]]))
    }

    func testSaveAnswersAPathOrAFileAndLoadTakesEither() throws {
        XCTAssertEqual(Set(try XCTUnwrap(JSONValue(encoding: ModelSave.Result(path: "/m.json", bytes: 10)).objectValue).keys), ["path", "bytes"])
        XCTAssertEqual(try JSONValue(encoding: ModelSave.Result(file: ["format": "ballast-model"])), ["file": ["format": "ballast-model"]])
        XCTAssertNil(try ModelSave.Params.decodeChecked(from: ["model": "m"]).path)
        let load = try ModelLoad.Params.decodeChecked(from: ["file": ["format": "ballast-model", "anything": 1], "name": "n"])
        XCTAssertEqual(load.file?["anything"], 1, "the file's members are the model file's to check, not the params'")
        XCTAssertNil(load.path)
    }
}
