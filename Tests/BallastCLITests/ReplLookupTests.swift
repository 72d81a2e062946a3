import BallastProtocol
import Foundation
import XCTest
@testable import BallastCLI

/// `repl/complete`, `repl/inspect` and `repl/is_complete` from the grammar alone: no daemon runs
/// at the connection file, so the lookup session keeps the offline grammar and names nothing.
final class ReplLookupTests: XCTestCase {
    private var folder: String!
    private var lookups: ReplLookups!

    override func setUpWithError() throws {
        folder = NSTemporaryDirectory() + "ballast-repl-lookups-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder + "/data/deep", withIntermediateDirectories: true)
        for file in ["data/train.csv", "data/test.csv", "data/.hidden", "notes.txt"] {
            FileManager.default.createFile(atPath: folder + "/" + file, contents: Data())
        }
        let options = SessionOptions(connectionFile: folder + "/no-daemon.json", noSpawn: true)
        lookups = ReplLookups(options: options, workingDirectory: folder)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: folder)
    }

    private func complete(_ code: String, _ cursor: Int? = nil) -> JSONValue {
        lookups.complete(ReplCursorParams(code: code, cursor: cursor ?? code.unicodeScalars.count))
    }

    func testCommandsOptionsAndValuesComplete() {
        XCTAssertEqual(complete("gen"), ["matches": ["generate"], "cursor_start": 0, "cursor_end": 3])
        XCTAssertEqual(complete("train cards ep")["matches"], ["epochs="])
        XCTAssertEqual(complete("train cards loss=f"), ["matches": ["focal"], "cursor_start": 17, "cursor_end": 18])
        XCTAssertEqual(complete("runs sh")["matches"], ["show"])
        XCTAssertEqual(complete("echo a; spl")["matches"], ["split"], "the statement after ';'")
        XCTAssertEqual(complete("echo a\nspl")["matches"], ["split"], "the statement on the cursor's line")
    }

    func testOffsetsCountCodePointsAndTheWordRunsToItsEnd() {
        // "é" and "😀" are one code point each (the emoji is two UTF-16 units, four UTF-8 bytes).
        let code = "echo é😀; train x lo=1"
        XCTAssertEqual(Array(code.unicodeScalars)[17], "l")
        XCTAssertEqual(complete(code, 19), ["matches": ["loss"], "cursor_start": 17, "cursor_end": 19], "the key before its '=', which stays")
        XCTAssertEqual(complete(code, 18)["matches"], ["l2", "loss", "lr"])
        XCTAssertEqual(complete("tra", 2), ["matches": ["train"], "cursor_start": 0, "cursor_end": 3],
                       "the prefix before the cursor chooses; the whole word is replaced")
    }

    func testPathsCompleteFromTheWorkingDirectory() {
        XCTAssertEqual(complete("load da"), ["matches": ["data/"], "cursor_start": 5, "cursor_end": 7])
        XCTAssertEqual(complete("load data/t")["matches"], ["data/test.csv", "data/train.csv"])
        XCTAssertEqual(complete("load data/")["matches"], ["data/deep/", "data/test.csv", "data/train.csv"], "no hidden files")
        XCTAssertEqual(complete("load data/.")["matches"], ["data/.hidden"])
        XCTAssertEqual(complete("load \"data/tr")["matches"], ["\"data/train.csv\""], "a quoted path keeps its quote, and a file closes it")
        XCTAssertEqual(complete("load \"data/")["matches"], ["\"data/deep/", "\"data/test.csv\"", "\"data/train.csv\""], "a folder stays open")
        XCTAssertEqual(complete("load \(folder!)/no")["matches"], .array([.string(folder + "/notes.txt")]))
    }

    /// Accepting a match (replacing cursor_start..<cursor_end with it) gives the text the user meant.
    private func accept(_ code: String, _ cursor: Int, choosing match: String) throws -> String {
        let answer = complete(code, cursor)
        let matches = answer["matches"]?.arrayValue?.compactMap(\.stringValue) ?? []
        XCTAssertTrue(matches.contains(match), "\(match) among \(matches)")
        let start = Int(try XCTUnwrap(answer["cursor_start"]?.intValue)), end = Int(try XCTUnwrap(answer["cursor_end"]?.intValue))
        var scalars = Array(code.unicodeScalars)
        scalars.replaceSubrange(start..<end, with: match.unicodeScalars)
        var text = String.UnicodeScalarView()
        text.append(contentsOf: scalars)
        return String(text)
    }

    func testCompletingAKeyWhoseValueIsWrittenKeepsOneEquals() throws {
        XCTAssertEqual(complete("train g lr=0.1", 9), ["matches": ["l2", "loss", "lr"], "cursor_start": 8, "cursor_end": 10])
        XCTAssertEqual(try accept("train g lr=0.1", 9, choosing: "lr"), "train g lr=0.1")
        XCTAssertEqual(try accept("train g lo=focal", 10, choosing: "loss"), "train g loss=focal")
        XCTAssertEqual(complete("train g ep")["matches"], ["epochs="], "with no '=' yet, the key brings its own")
        XCTAssertNoThrow(try Lexer.statements(try accept("train g lr=0.1", 9, choosing: "lr")))
    }

    func testPathsWithBlanksCompleteInsideQuotesAndAreQuotedWhenOffered() throws {
        try FileManager.default.createDirectory(atPath: folder + "/sub dir", withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: folder + "/sub dir/a b.csv", contents: Data())
        XCTAssertEqual(complete("load su"), ["matches": ["\"sub dir/"], "cursor_start": 5, "cursor_end": 7], "quoted, since the lexer splits at the blank")
        XCTAssertEqual(complete("load \"sub dir/"), ["matches": ["\"sub dir/a b.csv\""], "cursor_start": 5, "cursor_end": 14],
                       "the word is the quoted text, blank and all")
        XCTAssertEqual(try accept("load \"sub dir/a", 15, choosing: "\"sub dir/a b.csv\""), "load \"sub dir/a b.csv\"")
        let closed = "load \"sub dir/a\" as x"
        XCTAssertEqual(try accept(closed, 15, choosing: "\"sub dir/a b.csv"), "load \"sub dir/a b.csv\" as x", "its closing quote kept, not doubled")
        let words = try XCTUnwrap(try Lexer.statements(try accept("load su", 7, choosing: "\"sub dir/") + "a b.csv\"").first?.words)
        XCTAssertEqual(words, ["load", "sub dir/a b.csv"])
        XCTAssertEqual(complete("echo \"a b\"; load data/tr")["matches"], ["data/train.csv"], "a quote closed before the word is not this word's")
    }

    func testALexerErrorsColumnCountsCodePoints() throws {
        // 👍🏽 is one Character but two code points (the emoji and its skin tone): the quote is the 9th code point.
        let code = "echo 👍🏽 \"unclosed"
        XCTAssertEqual(Array(code.unicodeScalars)[8], "\"")
        let commands = ReplCommands(options: SessionOptions(connectionFile: folder + "/no-daemon.json", noSpawn: true))
        let output = commands.execute(ReplExecuteParams(code: code))["outputs"]?.arrayValue?.first
        XCTAssertEqual(output?["error"]?["data"], ["line": 1, "column": 9])
        XCTAssertThrowsError(try Lexer.statements("x\n  é́ [1,")) { error in
            XCTAssertEqual((error as? LexError)?.column, 6, "e, two combining accents: three code points before the bracket's blank")
        }
    }

    func testInspectShowsTheCommandsHelpLedByTheOptionUnderTheCursor() throws {
        let grammar = Grammar.offline
        let train = lookups.inspect(ReplCursorParams(code: "train cards lr=0.1", cursor: 3))
        XCTAssertEqual(train, ["found": true, "text": .string(grammar.help("train"))])
        let option = lookups.inspect(ReplCursorParams(code: "train cards lr=0.1 epochs=3", cursor: 14))
        let text = try XCTUnwrap(option["text"]?.stringValue)
        XCTAssertTrue(text.hasPrefix("lr=<number>  → optimizer.lr\n\ntrain DATASET"), text)
        XCTAssertEqual(lookups.inspect(ReplCursorParams(code: "help runs show", cursor: 1))["text"], .string(grammar.help("runs show")))
        XCTAssertEqual(lookups.inspect(ReplCursorParams(code: "echo a; datasets", cursor: 16))["text"], .string(grammar.help("datasets")))
        XCTAssertEqual(lookups.inspect(ReplCursorParams(code: "frobnicate x", cursor: 2)), ["found": false, "text": ""])
        XCTAssertEqual(lookups.inspect(ReplCursorParams(code: "", cursor: 0)), ["found": false, "text": ""])
        XCTAssertEqual(lookups.inspect(ReplCursorParams(code: "train g ", cursor: 8))["text"], .string(grammar.help("train")),
                       "after the last word, still the statement's command")
        XCTAssertEqual(lookups.inspect(ReplCursorParams(code: "train g; ", cursor: 9)), ["found": false, "text": ""],
                       "an empty statement after ';' names nothing")
    }

    func testIsComplete() throws {
        func status(_ code: String) throws -> JSONValue? { lookups.isComplete(try ReplCodeParams(["code": .string(code)]))["status"] }
        XCTAssertEqual(try status(""), "complete")
        XCTAssertEqual(try status("echo hi; train cards epochs=3"), "complete")
        XCTAssertEqual(try status("load \"unclosed"), "incomplete")
        XCTAssertEqual(try status("call dataset/split {\"dataset\": "), "incomplete")
        XCTAssertEqual(try status("bogus"), "invalid")
        XCTAssertEqual(try status("train cards epochs=many"), "invalid")
    }

    func testParamsAreCheckedAsTheDaemonChecksItsOwn() {
        func refused(_ body: () throws(RPCError) -> Void) -> RPCError? {
            do { try body() } catch { return error }
            return nil
        }
        XCTAssertEqual(refused { () throws(RPCError) in _ = try ReplExecuteParams(["width": 80]) }?.data, ["field": "code"])
        XCTAssertEqual(refused { () throws(RPCError) in _ = try ReplExecuteParams(["code": "x", "width": 19]) }?.data, ["field": "width"])
        XCTAssertEqual(refused { () throws(RPCError) in _ = try ReplExecuteParams(["code": "x", "progress_token": true]) }?.data, ["field": "progress_token"])
        XCTAssertEqual(refused { () throws(RPCError) in _ = try ReplExecuteParams(["code": "x", "widht": 80]) }?.message, "Unknown field 'widht'. Did you mean 'width'? Known: code, width, progress_token, partial_result_token.")
        XCTAssertEqual(refused { () throws(RPCError) in _ = try ReplCursorParams(["code": "ab", "cursor": 3], inspect: false) }?.data, ["field": "cursor"])
        XCTAssertEqual(refused { () throws(RPCError) in _ = try ReplCursorParams(["code": "ab"], inspect: true) }?.code, ErrorCode.invalidParams)
        XCTAssertNil(refused { () throws(RPCError) in _ = try ReplCursorParams(["code": "ab", "cursor": 2, "detail_level": 1], inspect: true) })
        XCTAssertEqual(try ReplExecuteParams(["code": "x"]).width, 100)
    }
}
