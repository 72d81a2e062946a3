import Foundation
import XCTest
@testable import BallastML

extension CSVLoader {
    /// The name the tests' CSV text goes by in messages.
    static let testPath = "test.csv"

    /// Parses `bytes` as the daemon parses a mapped file's bytes.
    static func load(csv bytes: [UInt8], options: CSVOptions) throws(DataError) -> LoadedTable {
        let result = bytes.withUnsafeBytes { buffer in
            Result { () throws(DataError) in try load(bytes: buffer, path: testPath, options: options) }
        }
        return try result.get()
    }

    static func load(csv text: String, options: CSVOptions) throws(DataError) -> LoadedTable {
        try load(csv: Array(text.utf8), options: options)
    }
}

extension XCTestCase {
    /// Loads `text` with the given options.
    func loadCSV(_ text: String, _ configure: (inout CSVOptions) -> Void = { _ in },
                 file: StaticString = #filePath, line: UInt = #line) throws -> LoadedTable {
        var options = CSVOptions()
        configure(&options)
        return try CSVLoader.load(csv: text, options: options)
    }

    /// Loads `bytes` expecting a failure and returns the error (fails the test if it loads).
    func loadError(_ bytes: [UInt8], _ configure: (inout CSVOptions) -> Void = { _ in },
                   file: StaticString = #filePath, line: UInt = #line) -> DataError? {
        var options = CSVOptions()
        configure(&options)
        do {
            let table = try CSVLoader.load(csv: bytes, options: options)
            XCTFail("expected an error, loaded \(table.dataset.rowCount) rows", file: file, line: line)
            return nil
        } catch {
            XCTAssertEqual(error.path, CSVLoader.testPath, "errors carry the path", file: file, line: line)
            XCTAssertFalse(error.message.isEmpty, file: file, line: line)
            return error
        }
    }

    func loadError(_ text: String, _ configure: (inout CSVOptions) -> Void = { _ in },
                   file: StaticString = #filePath, line: UInt = #line) -> DataError? {
        loadError(Array(text.utf8), configure, file: file, line: line)
    }
}
