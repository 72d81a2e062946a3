import Testing
@testable import BallastCLI

@Suite struct LexerTests {
    @Test func semicolonsAndLineBreaksEndStatementsAndKeepTheirLines() throws {
        let statements = try Lexer.statements("generate fraud as cards; split cards test=0.3\n\ndatasets")
        #expect(statements == [
            Statement(words: ["generate", "fraud", "as", "cards"], line: 1),
            Statement(words: ["split", "cards", "test=0.3"], line: 1),
            Statement(words: ["datasets"], line: 3),
        ])
    }

    @Test func hashStartsACommentOnlyAtTheStartOfAWord() throws {
        let statements = try Lexer.statements("# a whole line\necho a#b # the rest; datasets\nmodels")
        #expect(statements == [
            Statement(words: ["echo", "a#b"], line: 2),
            Statement(words: ["models"], line: 3),
        ])
    }

    @Test func aSemicolonRightAfterEqualsIsTheValue() throws {
        let statements = try Lexer.statements("load data.csv delimiter=; header=absent; datasets")
        #expect(statements.map(\.words) == [["load", "data.csv", "delimiter=;", "header=absent"], ["datasets"]])
        let last = try Lexer.statements("load data.csv delimiter=;;ping")
        #expect(last.map(\.words) == [["load", "data.csv", "delimiter=;"], ["ping"]])
    }

    @Test func quotesKeepBlanksSemicolonsAndHashes() throws {
        let statements = try Lexer.statements(#"echo "a; b # c" 'd e' "tab\there""#)
        #expect(statements.map(\.words) == [["echo", "a; b # c", "d e", "tab\there"]])
    }

    @Test func aJSONWordRunsToItsMatchingBracket() throws {
        let statements = try Lexer.statements(#"call dataset/split {"dataset": "cards; x", "test": [0.3]} ; ping"#)
        #expect(statements.map(\.words) == [["call", "dataset/split", #"{"dataset": "cards; x", "test": [0.3]}"#], ["ping"]])
        let option = try Lexer.statements("predict wce rows=[[0.1, 0.2], [0.3, 0.4]]")
        #expect(option.map(\.words) == [["predict", "wce", "rows=[[0.1, 0.2], [0.3, 0.4]]"]])
    }

    @Test func anUnclosedQuoteIsReportedWhereItOpened() {
        #expect(throws: LexError(message: "The quote \" opened here is never closed.", line: 2, column: 6)) {
            try Lexer.statements("ping\necho \"never\nclosed")
        }
    }

    @Test func anUnclosedBracketIsReportedWhereItOpened() {
        #expect(throws: LexError(message: "The bracket opened here is never closed.", line: 3, column: 18)) {
            try Lexer.statements("ping\n\npredict wce rows=[[1, 2]")
        }
    }
}
