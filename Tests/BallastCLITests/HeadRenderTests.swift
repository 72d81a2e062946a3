import BallastProtocol
import Testing
@testable import BallastCLI

/// `head`: rows as a table, text columns as their levels, wide tables cut to the terminal.
@Suite struct HeadRenderTests {
    /// A `dataset/head` result with a text column, one row of it an unseen level encoded as zeros.
    let textResult: JSONValue = [
        "dataset": "test", "total_rows": 40, "offset": 3,
        "feature_names": ["amount", "country=DE", "country=FR"],
        "columns": [["name": "amount"], ["name": "country", "levels": ["DE", "FR"]]],
        "rows": [
            ["row": 3, "values": [0.1, 0, 1], "label": "no", "levels": ["country": "FR"]],
            ["row": 4, "values": [-1250.5, 0, 0], "label": "yes", "levels": ["country": .null]],
        ],
    ]

    @Test func aTextColumnIsShownAsItsLevelAndAnAllZeroRowAsUnseen() {
        #expect(Render.result("head", textResult, params: [:], terminal: .plain()) == """
          row   amount  country   label
          ───  ───────  ────────  ─────
            3      0.1  FR        no
            4  -1250.5  (unseen)  yes
          rows 3–4 of 40 in test
        """)
    }

    @Test func aTextColumnWhoseFeaturesNameNoLevelIsShownAsItsFeatures() {
        var scaled = textResult
        if case .object(var object) = scaled {
            object["rows"] = [["row": 0, "values": [1, 1.5, -0.5], "label": "no", "levels": [:]]]
            scaled = .object(object)
        }
        #expect(Render.result("head", scaled, params: [:], terminal: .plain()) == """
          row  amount  country=DE  country=FR  label
          ───  ──────  ──────────  ──────────  ─────
            0       1         1.5        -0.5  no
          rows 0–0 of 40 in test
        """)
    }

    @Test func aWideTableKeepsTheColumnsThatFitAndSaysHowManyItLeftOut() {
        let names = (1...30).map { "feature\($0)" }
        let result: JSONValue = [
            "dataset": "wide", "total_rows": 1, "offset": 0,
            "feature_names": .array(names.map { .string($0) }),
            "rows": [["row": 0, "values": .array(names.indices.map { .double(Double($0)) }), "label": "1"]],
        ]
        let text = Render.result("head", result, params: [:], terminal: .plain(width: 60))
        let lines = text.split(separator: "\n")
        #expect(lines.dropLast().allSatisfy { $0.count <= 60 }, "\(text)")
        #expect(lines[0] == "  row  feature1  feature2  feature3  feature4  …  label", "a fifth would make 65 characters")
        #expect(lines.last == "  rows 0–0 of 1 in wide; 26 more columns not shown (--json prints every value)")
        // Wide enough for all: nothing is left out.
        #expect(!Render.result("head", result, params: [:], terminal: .plain(width: 400)).contains("…"))
    }

    @Test func anOffsetPastTheEndSaysSo() {
        let result: JSONValue = ["dataset": "toy", "total_rows": 20, "offset": 50, "feature_names": ["x1"], "rows": []]
        #expect(Render.result("head", result, params: [:], terminal: .plain()) == "  toy: no rows from 50 on (20 rows in all)")
    }
}
