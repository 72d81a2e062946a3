import BallastClient
import BallastProtocol
import BallastStore
import Foundation
import XCTest
@testable import BallastServer

/// A kept model or dataset whose row a hand edit or another tool damaged costs only itself: at the
/// next start the others come back, it is listed as damaged, and nothing made later takes its row.
final class WorkspaceDamagedRowTests: XCTestCase {
    private var folder: String!
    private var stateDirectory: String { folder + "/state" }

    override func setUpWithError() throws {
        folder = NSTemporaryDirectory() + "ballast-damaged-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: folder)
    }

    private func daemon(_ configure: (inout ServerConfiguration) -> Void = { _ in }) throws -> TestDaemon {
        try TestDaemon(stateDirectory: stateDirectory, configure: configure)
    }

    private func names(_ list: JSONValue, _ key: String) -> [String] {
        list[key]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? []
    }

    private func generate(_ client: Client, _ name: String) throws {
        _ = try client.call("dataset/generate", params: ["preset": "fraud", "rows": 400, "name": .string(name), "seed": 1])
    }

    /// Runs `body` against a daemon on the state directory, then stops it.
    private func withDaemon(_ configure: (inout ServerConfiguration) -> Void = { _ in }, _ body: (Client) throws -> Void) throws {
        let daemon = try daemon(configure)
        defer { daemon.stop() }
        try body(try daemon.client())
    }

    private var datasetFiles: [String] {
        get throws { try FileManager.default.contentsOfDirectory(atPath: stateDirectory + "/datasets").sorted() }
    }

    func testADamagedRowIsListedAsDamagedTheOthersComeBackAndNoUnnamedTrainingTakesItsName() throws {
        try withDaemon { client in
            try generate(client, "a")
            try generate(client, "b")
            for name in ["m1", "m2"] { _ = try client.call("model/train", params: ["dataset": "b", "name": .string(name)]) }
        }
        let files = try datasetFiles
        XCTAssertEqual(files.count, 2)
        try DamagedStore.execute("""
            UPDATE models SET stored = 'never' WHERE name = 'm1';
            UPDATE datasets SET rows = 'many' WHERE name = 'a';
            """, path: stateDirectory + "/" + Store.fileName)

        try withDaemon { client in
            let models = try client.call("model/list")
            XCTAssertEqual(names(models, "models"), ["m2"], "the other model comes back")
            XCTAssertEqual(models["unavailable"]?.arrayValue?.map { $0["name"] }, ["m1"])
            XCTAssertEqual(models["unavailable"]?.arrayValue?.first?["reason"], "damaged")
            let datasets = try client.call("dataset/list")
            XCTAssertEqual(names(datasets, "datasets"), ["b"], "the other dataset comes back")
            XCTAssertEqual(datasets["unavailable"]?.arrayValue?.map { $0["name"] }, ["a"])
            XCTAssertEqual(datasets["unavailable"]?.arrayValue?.first?["reason"], "damaged")
            XCTAssertEqual(try datasetFiles, files, "the damaged row's file is not taken for a stray one")

            let trained = try client.call("model/train", params: ["dataset": "b"])
            XCTAssertEqual(trained["model"], "m3", "neither the held m2 nor the kept m1")
        }

        try withDaemon { client in
            let models = try client.call("model/list")
            XCTAssertEqual(names(models, "models"), ["m2", "m3"])
            XCTAssertEqual(models["unavailable"]?.arrayValue?.map { $0["name"] }, ["m1"], "its row was not replaced")
        }
    }

    func testASizeNearIntMaxIsADamagedRowAndTheSizePolicyAtStartDoesNotTrap() throws {
        try withDaemon { client in
            for name in ["a", "b", "c"] { try generate(client, name) }
        }
        try DamagedStore.execute("UPDATE datasets SET bytes = \(Int.max - 5) WHERE name IN ('a', 'b')",
                                 path: stateDirectory + "/" + Store.fileName)
        try withDaemon({ $0.stateMaxBytes = 1 << 30 }) { client in
            let datasets = try client.call("dataset/list")
            XCTAssertEqual(names(datasets, "datasets"), ["c"])
            XCTAssertEqual(datasets["unavailable"]?.arrayValue?.map { $0["name"] }, ["a", "b"])
            XCTAssertEqual(datasets["unavailable"]?.arrayValue?.map { $0["reason"] }, ["damaged", "damaged"])
        }
        XCTAssertEqual(try datasetFiles.count, 3, "nothing evicted: the readable file fits")
    }
}
