import XCTest
@testable import BallastProtocol

/// `experiment/tune`'s unions: a candidate is a name or an object, an objective a name or an
/// object; both decode either way, encode as a person writes them, and refuse at their path.
final class TuneParamsCodingTests: XCTestCase {
    private func decode(_ params: JSONValue) throws -> ExperimentTune.Params {
        try ExperimentTune.Params.decodeChecked(from: params)
    }

    private func field(_ params: JSONValue) -> JSONValue? {
        do {
            _ = try ExperimentTune.Params.decodeChecked(from: params)
            return nil
        } catch {
            return error.data?["field"]
        }
    }

    func testNamesAndObjectsDecodeAndEncodeBackAsWritten() throws {
        let written: JSONValue = [
            "dataset": "d",
            "candidates": ["ce", ["name": "mine", "loss": ["type": "wce", "weights": ["scheme": "binary", "w": 0.8]],
                                  "resample": ["method": "smote", "k": 3]]],
            "objective": "f1", "calibrate": "platt", "estimate": "nested", "outer_folds": 4, "grid": ["gamma": [0.5, 3]],
        ]
        let params = try decode(written)
        XCTAssertEqual(params.candidates?.first, .named("ce"))
        guard case .custom(let mine)? = params.candidates?.last else { return XCTFail("\(String(describing: params.candidates))") }
        XCTAssertEqual(mine.loss?.weights?.w, 0.8)
        XCTAssertEqual(mine.resample, ResampleSpec(method: .smote, k: 3))
        XCTAssertEqual(params.objective, .init(type: .f1))
        XCTAssertEqual(params.estimate, .nested)
        XCTAssertEqual(params.outerFolds, 4)
        XCTAssertEqual(try JSONValue(encoding: params), written)

        let object = try decode(["dataset": "d", "objective": ["type": "recall_at_precision", "precision": 0.9]])
        XCTAssertEqual(object.objective, .init(type: .recallAtPrecision, precision: 0.9))
        XCTAssertEqual(try JSONValue(encoding: object)["objective"], ["type": "recall_at_precision", "precision": 0.9])
    }

    func testRefusalsNameThePath() {
        XCTAssertEqual(field(["dataset": "d", "objective": "auc"]), "objective")
        XCTAssertEqual(field(["dataset": "d", "objective": ["type": "auc"]]), "objective.type")
        XCTAssertEqual(field(["dataset": "d", "objective": ["type": "f1", "alpha": 1]]), "objective.alpha")
        XCTAssertEqual(field(["dataset": "d", "calibrate": "sigmoid"]), "calibrate")
        XCTAssertEqual(field(["dataset": "d", "grid": ["w": [0.5], "beta": [1]]]), "grid.beta")
        XCTAssertEqual(field(["dataset": "d", "includeMLP": true]), "includeMLP")
        XCTAssertEqual(field(["dataset": "d", "model": ["type": "mlp", "layers": [3]]]), "model.layers")
        XCTAssertNotNil(field(["dataset": "d", "candidates": [3]]))
        XCTAssertEqual(field(["dataset": "d", "resample": ["method": "smote"]]), "resample", "model/train's, not tune's")
        XCTAssertNoThrow(try ModelTrain.Params.decodeChecked(from: ["dataset": "d", "resample": ["method": "under", "ratio": 0.5]]))
        XCTAssertThrowsError(try ModelTrain.Params.decodeChecked(from: ["dataset": "d", "resample": ["method": "under", "rate": 0.5]]))
    }
}
