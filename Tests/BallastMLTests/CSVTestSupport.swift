import Foundation
import XCTest
@testable import BallastML

extension XCTestCase {
    /// Writes `bytes` to a fresh file in the temporary directory, removed when the test ends.
    func temporaryFile(_ bytes: [UInt8], suffix: String = ".csv") -> String {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("ballast-csv-\(UUID().uuidString)\(suffix)")
        FileManager.default.createFile(atPath: url.path, contents: Data(bytes))
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url.path
    }

    func temporaryFile(_ text: String, suffix: String = ".csv") -> String {
        temporaryFile(Array(text.utf8), suffix: suffix)
    }

    /// Loads `text` through a real file with the given options.
    func loadCSV(_ text: String, _ configure: (inout CSVOptions) -> Void = { _ in },
                 file: StaticString = #filePath, line: UInt = #line) throws -> LoadedTable {
        var options = CSVOptions()
        configure(&options)
        let path = temporaryFile(text)
        return try CSVLoader.load(path: path, options: options)
    }

    /// Loads `bytes` expecting a failure and returns the error (fails the test if it loads).
    func loadError(_ bytes: [UInt8], _ configure: (inout CSVOptions) -> Void = { _ in },
                   file: StaticString = #filePath, line: UInt = #line) -> DataError? {
        var options = CSVOptions()
        configure(&options)
        let path = temporaryFile(bytes)
        do {
            let table = try CSVLoader.load(path: path, options: options)
            XCTFail("expected an error, loaded \(table.dataset.rowCount) rows", file: file, line: line)
            return nil
        } catch {
            XCTAssertEqual(error.path, path, "errors carry the path", file: file, line: line)
            XCTAssertFalse(error.message.isEmpty, file: file, line: line)
            return error
        }
    }

    func loadError(_ text: String, _ configure: (inout CSVOptions) -> Void = { _ in },
                   file: StaticString = #filePath, line: UInt = #line) -> DataError? {
        loadError(Array(text.utf8), configure, file: file, line: line)
    }
}
