import BallastProtocol
import Foundation
import Testing
@testable import BallastCLI

/// The HTML the notebook door shows for a command: its tables as real tables, the rest as
/// preformatted text, everything escaped.
@Suite struct HTMLRenderTests {
    /// Draws `tables` and `notes` into one text as a command would, with a capture current.
    func drawn(_ build: (Terminal) -> String) -> (text: String, capture: RenderCapture) {
        let capture = RenderCapture()
        let text = RenderCapture.$current.withValue(capture) { build(.plain()) }
        return (text, capture)
    }

    func firstTable(_ html: String?) throws -> HTMLTable {
        let html = try #require(html)
        let tables = try HTMLTable.all(in: html)
        return try #require(tables.first)
    }

    @Test func aCommandWithoutATableHasNoHTML() {
        let (text, capture) = drawn { _ in "  pong (daemon up 3.0s)" }
        #expect(capture.html(for: text) == nil)
        #expect(RenderCapture().html(for: "") == nil)
    }

    @Test func aTableOutsideTheTextIsNotPlaced() {
        let (_, capture) = drawn { t in
            var table = Table(["a", "b"])
            table.add(["x", "1"])
            return table.render(t)
        }
        #expect(capture.html(for: "  something else entirely") == nil)
    }

    @Test func namesAreEscapedInCellsHeadersAndText() throws {
        let nasty = "<b>&\"'x'\"</b>"
        let (text, capture) = drawn { t in
            var table = Table(["name \(nasty)", "rows"])
            table.add([nasty, "12"])
            return "  before \(nasty)\n" + table.render(t) + "\n  after <script>alert(1)</script>"
        }
        let html = try #require(capture.html(for: text))
        #expect(!html.contains("<b>"))
        #expect(!html.contains("<script>"))
        #expect(html.contains("&lt;b&gt;&amp;&quot;&#39;x&#39;&quot;&lt;/b&gt;"))
        let tables = try HTMLTable.all(in: html)
        #expect(tables.count == 1)
        #expect(tables[0].header == ["name \(nasty)", "rows"])
        #expect(tables[0].rows == [[nasty, "12"]])
        let document = try xmlDocument(html)
        let pres = try elements("pre", in: document).map { $0.stringValue ?? "" }
        #expect(pres == ["before \(nasty)", "after <script>alert(1)</script>"])
    }

    @Test func aSpecialCharacterACombiningMarkFollowsIsEscapedToo() {
        // "<\u{301}" is one Character; escaping walks Unicode scalars.
        #expect(HTMLRender.escape("<\u{301}b>\"\u{301}") == "&lt;\u{301}b&gt;&quot;\u{301}")
        #expect(SVGChart.escape("a\u{7}<\u{301}") == "a&lt;\u{301}", "XML also drops the control character")
    }

    @Test func theFragmentIsOneDivWithInlineStylesOnly() throws {
        let (text, capture) = drawn { t in
            var table = Table(["model", "F1"])
            table.add(["ce", "0.5000"])
            return table.render(t) + "\n  * a note"
        }
        let html = try #require(capture.html(for: text))
        #expect(html.hasPrefix("<div class=\"ballast-output\""))
        #expect(html.hasSuffix("</div>"))
        #expect(!html.contains("<style"))
        #expect(!html.contains("#") && !html.contains("black") && !html.contains("background:white"), "colours come from the theme")
        let document = try xmlDocument(html)
        #expect(try elements("thead", in: document).count == 1)
        #expect(try elements("tbody", in: document).count == 1)
        #expect(try elements("th", in: document).allSatisfy { ($0.value(of: "style") ?? "").contains("font-weight:bold") })
    }

    @Test func numbersAlignRightAndTheFirstColumnLeft() throws {
        let (text, capture) = drawn { t in
            var table = Table(["dataset", "rows", "classes"], leftColumns: [0, 2])
            table.add(["cards", "1,000", "0: 990, 1: 10"])
            return table.render(t)
        }
        let table = try firstTable(capture.html(for: text))
        #expect(table.cellStyles[0].map { $0.contains("text-align:right") } == [false, true, false])
        #expect(table.cellStyles[0].map { $0.contains("text-align:left") } == [true, false, true])
    }

    @Test func theRowTheTextMarksBestIsBoldAndKeepsItsMark() throws {
        let compare: JSONValue = ["run": "r7", "rows": [
            ["arm": "ce", "recall": 0.5, "precision": 0.9, "f1": 0.64, "pr_auc": 0.7, "roc_auc": 0.9, "mcc": 0.6, "threshold": 0.5],
            ["arm": "wce_inverse", "recall": 0.9, "precision": 0.8, "f1": 0.85, "pr_auc": 0.7, "roc_auc": 0.9, "mcc": 0.8, "threshold": 0.5],
        ]]
        let (text, capture) = drawn { Render.compare(compare, $0) }
        let table = try firstTable(capture.html(for: text))
        #expect(table.rows.map { $0[0] } == ["CE", "WCE (inverse) *"])
        #expect(table.rowStyles.map { $0.contains("font-weight:bold") } == [false, true])
    }

    @Test func aCellTheTextMarksBestOnItsOwnIsBold() throws {
        let compared: JSONValue = ["metrics": ["validation.f1", "steps"], "params": [],
                                   "rows": [["run": "r1", "params": [], "metrics": [0.8, 30]],
                                            ["run": "r2", "params": [], "metrics": [0.9, 20]],
                                            ["run": "r3", "params": [], "metrics": [0.7, 10]]]]
        let (text, capture) = drawn { Render.runCompare(compared, $0) }
        let table = try firstTable(capture.html(for: text))
        #expect(table.header == ["run", "validation.f1", "steps"])
        #expect(table.rows.map { $0[1] } == ["0.8000", "0.9000*", "0.7000"], "the mark stays, the padding goes")
        #expect(table.cellStyles.map { $0[1].contains("font-weight:bold") } == [false, true, false])
        #expect(table.cellStyles.allSatisfy { !$0[2].contains("font-weight:bold") }, "steps are not ranked")
        #expect(table.rowStyles.allSatisfy { !$0.contains("font-weight:bold") }, "no whole row is best")
    }

    @Test func aSweepsBestRowIsBold() throws {
        let sweep: JSONValue = ["param": "w", "metric": "f1", "run": "r3", "best": ["value": 0.7, "mean": 0.8, "sd": 0.01],
                                "results": [["value": 0.5, "mean": 0.7, "sd": 0.02], ["value": 0.7, "mean": 0.8, "sd": 0.01],
                                            ["value": 0.9, "mean": 0.75, "sd": 0.03]]]
        let (text, capture) = drawn { Render.sweep(sweep, $0) }
        let table = try firstTable(capture.html(for: text))
        #expect(table.rowStyles.map { $0.contains("font-weight:bold") } == [false, true, false])
        #expect(table.rows[1][3].hasSuffix(" best"))
    }

    @Test func colourCodesInTheTextDoNotHideTheTable() throws {
        let capture = RenderCapture()
        let fancy = Terminal(isTTY: true, fancy: true, width: 100)
        let text = RenderCapture.$current.withValue(capture) { () -> String in
            var table = Table(["set", "F1"])
            table.add(["train", "0.9000"])
            return "  \(fancy.bold("w")) trained\n" + table.render(fancy)
        }
        let html = try #require(capture.html(for: text))
        #expect(!html.contains("\u{1B}"))
        #expect(try firstTable(html).header == ["set", "F1"])
    }

    /// The real renderings of a real daemon's replies: every HTML table holds exactly the cells
    /// of the table in the text, in order.
    @Test func theHTMLTablesHoldTheTextTablesCellsForRealResults() throws {
        try withLiveSession { session, output, _ in
            try session.connect()
            let statements = [
                "generate fraud rows=20000 seed=1 as cards",
                "split cards test=0.3 val=0.2 seed=0",
                "datasets",
                "weights cards.train scheme=inverse",
                "train cards.train val=cards.validation loss=wce as w",
                "evaluate w cards.test",
                "evaluate w cards.test curves=true",
                "compare cards.train test=cards.test val=cards.validation arms=ce,wce_inverse",
                "sweep cards.train param=w grid=0.5,0.7,0.9 folds=3",
                "runs",
                "models",
            ]
            var withTables = 0
            for statement in statements {
                let (text, capture, status) = captured(statement, session: session, output: output)
                #expect(status == 0, "\(statement): \(output.errors)")
                for chart in capture.charts {
                    #expect(text.contains("  " + chart.title + "\n"), "\(statement): the text draws \(chart.title) too")
                    _ = try xmlDocument(chart.svg)
                }
                let expectedCharts = statement.hasSuffix("curves=true") ? 2 : statement.hasPrefix("sweep") ? 1 : 0
                #expect(capture.charts.count == expectedCharts, "\(statement): \(capture.charts.map(\.title))")
                guard let html = capture.html(for: text) else {
                    #expect(capture.tables.isEmpty, "\(statement) drew a table but has no HTML")
                    continue
                }
                withTables += 1
                let htmlTables = try HTMLTable.all(in: html)
                // The rows each table drew, as the Table itself counts them, not as the HTML does.
                let fromText = textTables(text, rowCounts: capture.tables.map(\.table.rows.count))
                #expect(htmlTables.count == fromText.count, "\(statement)")
                for (html, text) in zip(htmlTables, fromText) {
                    #expect(html.header == text.header, "\(statement)")
                    #expect(html.rows == text.rows, "\(statement)")
                    #expect(!html.rows.isEmpty, "\(statement)")
                }
                if statement.hasPrefix("compare") || statement.hasPrefix("sweep") {
                    #expect(htmlTables[0].rowStyles.contains { $0.contains("font-weight:bold") }, "\(statement) marks a best row")
                }
            }
            #expect(withTables >= 8)
        }
    }
}
