import Foundation
import XCTest
@testable import BallastProtocol

/// protocol/schema/vocabulary.json writes each closed list of names once for the JSON Schemas;
/// the `WireName` enums write it once for the code. They must be the same lists, in order.
final class VocabularySchemaTests: XCTestCase {
    private static let vocabulary = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("protocol/schema/vocabulary.json")

    func testTheSchemasListsEqualTheEnums() throws {
        let schema = try JSONParser.parse(Array(Data(contentsOf: Self.vocabulary)))
        let expected: [String: [String]] = [
            "model": ModelName.names, "loss": LossName.names, "optimizer": OptimizerName.names,
            "weight_scheme": WeightSchemeName.names, "weight_normalization": WeightNormalizationName.names,
            "reduction": ReductionName.names, "metric": MetricName.names, "arm": ArmName.names,
            "sweep_param": SweepParamName.names, "preset": PresetName.names,
            "resample_method": ResampleMethodName.names, "missing_policy": MissingPolicyName.names,
            "header_mode": HeaderModeName.names, "delimiter": DelimiterName.names,
            "bad_line_policy": OnBadLinesName.names, "encoding": EncodingName.names, "decimal": DecimalName.names,
            "dataset_origin": DatasetOriginName.names, "threshold_word": Threshold.names,
            "stop_reason": StopReasonName.names, "unseen_levels": UnseenLevelsName.names,
            "run_status": RunStatusName.names, "sort_order": SortOrderName.names,
            "objective": ObjectiveName.names, "calibration": CalibrationName.names, "estimate": EstimateName.names,
            "candidate": CandidateName.names, "engine": EngineName.names, "source_format": SourceFormatName.names,
        ]
        let defs = try XCTUnwrap(schema["$defs"]?.objectValue)
        XCTAssertEqual(Set(defs.keys), Set(expected.keys), "every list in the schema has its enum, and the other way round")
        for (name, names) in expected {
            let listed = defs[name]?["enum"]?.arrayValue?.compactMap(\.stringValue)
            XCTAssertEqual(listed, names, name)
        }
    }
}
