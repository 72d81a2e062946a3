import Foundation
import XCTest

/// A fresh state directory under the system's temp folder, removed when the test ends.
func temporaryStateDirectory(_ test: XCTestCase, file: StaticString = #filePath, line: UInt = #line) throws -> URL {
    let directory = FileManager.default.temporaryDirectory
        .appendingPathComponent("ballast-store-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    test.addTeardownBlock { try? FileManager.default.removeItem(at: directory) }
    return directory
}
