import BallastClient
import BallastProtocol
import BallastStore
import Foundation
import XCTest

/// The promises about the state directory itself, through the real `ballastd` binary: two daemons
/// never share one (the second exits 1 naming the first, whatever its connection file), and a
/// store that is damaged, not a store at all, or written by a newer Ballast is refused (exit 2,
/// with a message saying what and where) without a byte of it changed.
final class StateDirectoryRefusalTests: XCTestCase {
    private var folder: String!

    override func setUpWithError() throws {
        folder = NSTemporaryDirectory() + "ballast-refusal-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: folder)
    }

    func testASecondDaemonOnTheSameStateDirectoryExitsOneNamingTheFirstEvenWithAnotherConnectionFile() throws {
        let state = folder + "/state"
        let first = try DaemonProcess(label: "state-holder", stateDirectory: state)
        let second = try runToExit(["--connection-file", folder + "/other/ballastd.json", "--state-dir", state])
        XCTAssertEqual(second.status, 1, second.output)
        XCTAssertTrue(second.output.contains("Another ballastd (pid \(first.pid)) keeps its workspace in \(state)"), second.output)
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder + "/other/ballastd.json"),
                       "the loser wrote no connection file")
        XCTAssertEqual(try String(contentsOfFile: state + "/ballastd.lock", encoding: .utf8), "\(first.pid)\n",
                       "the lock file still names the holder")

        let client = try Client(first.info, connectionFile: first.connectionFile)
        defer { client.close() }
        client.defaultTimeout = 20
        try client.initialize(name: "tests")
        XCTAssertEqual(try client.control(Ping.method)["pong"], true, "the holder serves on")
        XCTAssertTrue(first.stop())
        XCTAssertEqual(first.ending, "exit 0")
    }

    func testAFileThatIsNotADatabaseIsRefusedUnchanged() throws {
        let state = folder + "/state"
        try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true)
        let bytes = Data((0..<3000).map { "not a database, line \($0)\n" }.joined().utf8)
        try bytes.write(to: URL(fileURLWithPath: state + "/" + Store.fileName))
        try assertRefusedUnchanged(state, saying: "is damaged or is not a Ballast store")
    }

    func testAStoreWithDamagedPagesIsRefusedUnchanged() throws {
        let state = folder + "/state"
        try makeStore(in: state)
        let path = state + "/" + Store.fileName
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        let pageSize = Int(bytes[16]) << 8 | Int(bytes[17])
        XCTAssertGreaterThan(bytes.count, pageSize, "the store has pages beyond the first")
        // Every page but the first (the header and the schema) becomes noise: the tables are gone.
        var noise = SeededGenerator(seed: 11)
        for index in pageSize..<bytes.count { bytes[index] = UInt8.random(in: 0...255, using: &noise) }
        try bytes.write(to: URL(fileURLWithPath: path))
        try assertRefusedUnchanged(state, saying: "is damaged or is not a Ballast store")
    }

    func testAStoreOfANewerVersionIsRefusedUnchanged() throws {
        let state = folder + "/state"
        try makeStore(in: state)
        let path = state + "/" + Store.fileName
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        // The header's user_version (offset 60, big-endian), as a newer Ballast's migration leaves it.
        let newer = UInt32(Store.formatVersion + 1)
        for (offset, shift) in zip(60..<64, [24, 16, 8, 0]) { bytes[offset] = UInt8((newer >> UInt32(shift)) & 0xFF) }
        try bytes.write(to: URL(fileURLWithPath: path))
        try assertRefusedUnchanged(state, saying: "was written by a newer Ballast (format version \(newer))")
    }

    // MARK: Helpers

    /// A state directory as a daemon leaves it: a dataset, a model and its run kept, then a clean stop.
    private func makeStore(in state: String) throws {
        let daemon = try DaemonProcess(label: "store-maker", stateDirectory: state)
        let client = try Client(daemon.info, connectionFile: daemon.connectionFile)
        client.defaultTimeout = 60
        try client.initialize(name: "tests")
        try client.prepareCards(rows: 2_000)
        _ = try client.call(ModelTrain.method, params: ["dataset": "cards.train", "name": "kept"])
        client.close()
        XCTAssertTrue(daemon.stop())
        XCTAssertEqual(daemon.ending, "exit 0")
        // The daemon may leave its write-ahead log beside the store; opening and closing the store
        // once more folds it in, so that what the tests damage below is all there is.
        try Store(directory: URL(fileURLWithPath: state)).close()
        XCTAssertFalse(FileManager.default.fileExists(atPath: state + "/" + Store.fileName + "-wal"),
                       "the write-ahead log is folded into the store")
        let files = try snapshot(state, except: [])
        XCTAssertGreaterThan(files.count, 2, "the store and the files beside it: \(files.keys.sorted())")
    }

    /// ballastd on `state` exits 2 with `message` and the store's path in its output, and every file
    /// that was in the state directory has the same bytes after.
    private func assertRefusedUnchanged(_ state: String, saying message: String,
                                        file: StaticString = #filePath, line: UInt = #line) throws {
        let lock = "ballastd.lock"
        let before = try snapshot(state, except: [lock])
        let result = try runToExit(["--connection-file", folder + "/ballastd.json", "--state-dir", state])
        XCTAssertEqual(result.status, 2, result.output, file: file, line: line)
        XCTAssertTrue(result.output.contains(message), result.output, file: file, line: line)
        XCTAssertTrue(result.output.contains(state + "/" + Store.fileName), "the message says where: \(result.output)",
                      file: file, line: line)
        XCTAssertTrue(result.output.contains("It was not changed."), result.output, file: file, line: line)
        let after = try snapshot(state, except: [lock])
        for (name, bytes) in before {
            XCTAssertEqual(after[name], bytes, "\(name) changed", file: file, line: line)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder + "/ballastd.json"),
                       "the refused daemon wrote no connection file", file: file, line: line)
    }

    /// Every file under `directory` (in its folders too) but those named, by relative path.
    private func snapshot(_ directory: String, except: Set<String>) throws -> [String: Data] {
        var files: [String: Data] = [:]
        for case let name as String in FileManager.default.enumerator(atPath: directory)! where !except.contains(name) {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: directory + "/" + name, isDirectory: &isFolder), !isFolder.boolValue else { continue }
            files[name] = try Data(contentsOf: URL(fileURLWithPath: directory + "/" + name))
        }
        return files
    }

    /// Runs ballastd until it exits and returns its status and everything it wrote. A daemon that
    /// starts instead of refusing is stopped after a bound that only catches that.
    private func runToExit(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try BuiltProducts.path("ballastd"))
        process.currentDirectoryURL = URL(fileURLWithPath: folder)
        process.arguments = arguments
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("ballastd-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: output) }
        let handle = try FileHandle(forWritingTo: output)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        let deadline = Date().addingTimeInterval(30)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
            try handle.close()
            return (-1, "ballastd started instead of refusing: " + (try String(contentsOf: output, encoding: .utf8)))
        }
        try handle.close()
        return (process.terminationStatus, try String(contentsOf: output, encoding: .utf8))
    }
}
