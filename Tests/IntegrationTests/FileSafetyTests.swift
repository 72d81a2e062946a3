import BallastClient
import BallastProtocol
import BallastTransport
import Foundation
import XCTest

/// The files the daemon touches for a client, through a real daemon: `model/save` writes only
/// inside its write roots and never over a link, a non-regular or a read-only file; `model/load`
/// and `dataset/load` read only regular files, and a large binary file is refused on its first
/// block; and no error message or `data` quotes a file that is not data.
final class FileSafetyTests: XCTestCase {
    private var folder: String!
    private var allowed: String { folder + "/allowed" }
    private var outside: String { folder + "/outside" }

    override func setUpWithError() throws {
        folder = NSTemporaryDirectory() + "ballast-file-safety-\(UUID().uuidString)"
        for path in [allowed, outside] { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) }
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: folder)
    }

    /// A daemon whose only write root is `allowed`, with a model `m` loaded.
    private func daemonWithModel(roots: [String]? = nil) throws -> (TestDaemon, Client) {
        let roots = roots ?? [allowed]
        let daemon = try TestDaemon { $0.writeRoots = roots }
        let client = try daemon.client()
        _ = try client.call("model/load", params: ["path": .string(ModelFileTests.fixture("logistic", version: 2)), "name": "m"])
        return (daemon, client)
    }

    private func saveRefusal(_ client: Client, _ path: String, kind: String, file: StaticString = #filePath, line: UInt = #line) throws -> RPCError {
        let error = try XCTUnwrap(client.rpcError("model/save", ["model": "m", "path": .string(path)]), path, file: file, line: line)
        XCTAssertEqual(error.code, ErrorCode.invalidParams, error.message, file: file, line: line)
        XCTAssertEqual(error.data?["field"], "path", file: file, line: line)
        XCTAssertEqual(error.data?["kind"], .string(kind), error.message, file: file, line: line)
        return error
    }

    // MARK: model/save

    /// `..`, an absolute path elsewhere and a relative path (resolved against the working
    /// directory, which is not a root here) are all outside; a root itself and its subfolders are in.
    func testModelsAreSavedOnlyInsideTheWriteRoots() throws {
        let (daemon, client) = try daemonWithModel()
        try FileManager.default.createDirectory(atPath: allowed + "/sub", withIntermediateDirectories: true)
        for path in [allowed + "/m.json", allowed + "/sub/m.json", allowed + "/sub/../n.json"] {
            XCTAssertEqual(try client.call("model/save", params: ["model": "m", "path": .string(path)])["path"], .string(path))
        }
        XCTAssertTrue(FileManager.default.fileExists(atPath: allowed + "/n.json"))

        let escapes = [outside + "/m.json", allowed + "/../outside/m.json", allowed + "/sub/../../outside/m.json"]
        for path in escapes {
            let error = try saveRefusal(client, path, kind: "outside_write_roots")
            let root = try XCTUnwrap(realpath(allowed, nil).map { pointer in defer { free(pointer) }; return String(cString: pointer) })
            XCTAssertEqual(error.message,
                           "Models can only be saved inside \(root); \(path) is outside. Pass --write-root to ballastd to allow another folder.")
            XCTAssertEqual(error.data?["path"], .string(path))
            XCTAssertEqual(error.data?["write_roots"], [.string(root)])
        }
        _ = try saveRefusal(client, "relative-\(UUID().uuidString).json", kind: "outside_write_roots")
        // The system would read the path only up to a NUL; Swift would see all of it.
        let nul = try XCTUnwrap(client.rpcError("model/save", ["model": "m", "path": .string(allowed + "/sub\u{0}/../../outside/m.json")]))
        XCTAssertEqual(nul.code, ErrorCode.invalidParams)
        XCTAssertEqual(nul.data?["field"], "path")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: outside), [], "nothing was written outside")
        withExtendedLifetime(daemon) {}
    }

    /// A link is never written through (even one to a file inside the root), and a FIFO, a
    /// folder, a device and a read-only file are never replaced.
    func testSavingNeverReplacesALinkASpecialFileOrAReadOnlyFile() throws {
        let (daemon, client) = try daemonWithModel()
        let victim = outside + "/victim.txt"
        try Data("keep me\n".utf8).write(to: URL(fileURLWithPath: victim))
        try Data("inside\n".utf8).write(to: URL(fileURLWithPath: allowed + "/inside.txt"))
        XCTAssertEqual(symlink(victim, allowed + "/link.json"), 0)
        XCTAssertEqual(symlink(allowed + "/inside.txt", allowed + "/near.json"), 0)
        _ = try saveRefusal(client, allowed + "/link.json", kind: "symlink")
        _ = try saveRefusal(client, allowed + "/near.json", kind: "symlink")
        XCTAssertEqual(try String(contentsOfFile: victim, encoding: .utf8), "keep me\n")
        XCTAssertEqual(try FileManager.default.destinationOfSymbolicLink(atPath: allowed + "/link.json"), victim, "the link is still a link")

        XCTAssertEqual(mkfifo(allowed + "/fifo.json", 0o600), 0)
        _ = try saveRefusal(client, allowed + "/fifo.json", kind: "not_a_regular_file")
        try FileManager.default.createDirectory(atPath: allowed + "/folder.json", withIntermediateDirectories: false)
        _ = try saveRefusal(client, allowed + "/folder.json", kind: "not_a_regular_file")
        var info = stat()
        XCTAssertEqual(lstat(allowed + "/fifo.json", &info), 0)
        XCTAssertEqual(info.st_mode & S_IFMT, S_IFIFO, "the FIFO is still a FIFO")
        // A device node can be made only with privilege; where it can, it must survive too.
        if mknod(allowed + "/null.json", S_IFCHR | 0o666, dev_t((1 << 8) | 3)) == 0 {  // 1:3, as /dev/null
            _ = try saveRefusal(client, allowed + "/null.json", kind: "not_a_regular_file")
            XCTAssertEqual(lstat(allowed + "/null.json", &info), 0)
            XCTAssertEqual(info.st_mode & S_IFMT, S_IFCHR, "the device is still a device")
        }

        let readOnly = allowed + "/read-only.json"
        try Data("frozen\n".utf8).write(to: URL(fileURLWithPath: readOnly))
        XCTAssertEqual(chmod(readOnly, 0o444), 0)
        let error = try saveRefusal(client, readOnly, kind: "read_only")
        XCTAssertEqual(error.message, "\(readOnly) is read-only; it is not replaced. Make it writable, or choose another name.")
        XCTAssertEqual(try String(contentsOfFile: readOnly, encoding: .utf8), "frozen\n")

        // A writable regular file is replaced, atomically, as before.
        let ordinary = allowed + "/ordinary.json"
        try Data("old\n".utf8).write(to: URL(fileURLWithPath: ordinary))
        _ = try client.call("model/save", params: ["model": "m", "path": .string(ordinary)])
        XCTAssertEqual(try JSONParser.parse(Data(contentsOf: URL(fileURLWithPath: ordinary)))["format"], "ballast-model")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: allowed).filter { $0.hasSuffix(".tmp") }, [],
                       "no temporary file is left behind")
        withExtendedLifetime(daemon) {}
    }

    /// The real binary: by default the working directory is a root, and `--write-root` adds one.
    func testTheWorkingDirectoryAndEveryWriteRootFlagAreRoots() throws {
        let work = folder + "/work"
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        let daemon = try startBinary(in: work, "--write-root", allowed)
        defer { daemon.stop() }
        let client: Client = daemon.client
        let relative = try client.call("model/save", params: ["model": "m", "path": "saved.json"])
        XCTAssertEqual(relative["path"], .string(work + "/saved.json"))
        XCTAssertTrue(FileManager.default.fileExists(atPath: work + "/saved.json"))
        _ = try client.call("model/save", params: ["model": "m", "path": .string(allowed + "/m.json")])
        let refused = try XCTUnwrap(client.rpcError("model/save", ["model": "m", "path": .string(outside + "/m.json")]))
        XCTAssertEqual(refused.data?["kind"], "outside_write_roots")
        XCTAssertTrue(refused.data?["write_roots"]?.arrayValue?.contains(.string(work)) ?? false, "\(refused.data ?? .null)")
    }

    /// A daemon started from `/` (as editors often start one) does not take `/` as a root, which
    /// would confine nothing; it says at start-up where it may write. `--write-root /`, asked for
    /// by name, is honoured.
    func testAWorkingDirectoryOfSlashIsNoRootUnlessGivenByName() throws {
        let root = try XCTUnwrap(realpath(allowed, nil).map { pointer in defer { free(pointer) }; return String(cString: pointer) })
        let confined = try startBinary(in: "/", "--write-root", allowed)
        defer { confined.stop() }
        let refused = try XCTUnwrap(confined.client.rpcError("model/save", ["model": "m", "path": .string(outside + "/m.json")]))
        XCTAssertEqual(refused.data?["kind"], "outside_write_roots", refused.message)
        let roots = refused.data?["write_roots"]?.arrayValue ?? []
        XCTAssertFalse(roots.contains("/"), "\(roots)")
        XCTAssertEqual(roots.last, .string(root), "the state directory, then the flag's folder: \(roots)")
        _ = try confined.client.call("model/save", params: ["model": "m", "path": .string(allowed + "/m.json")])
        confined.stop()
        let started = try XCTUnwrap(confined.log().split(separator: "\n").first { $0.contains("model/save may write inside") })
        XCTAssertTrue(started.hasSuffix("model/save may write inside: \(WriteRootsLine.stateRoot), \(root). The working directory, /, is not one of them."),
                      String(started))

        let open = try startBinary(in: "/", "--write-root", "/")
        defer { open.stop() }
        _ = try open.client.call("model/save", params: ["model": "m", "path": .string(outside + "/m.json")])
        XCTAssertTrue(FileManager.default.fileExists(atPath: outside + "/m.json"))
    }

    /// `ballastd` started in `workingDirectory` with `arguments`, its log in a file, and a client
    /// with the model `m` loaded.
    private func startBinary(in workingDirectory: String, _ arguments: String...) throws -> BinaryDaemon {
        let run = folder + "/run-\(UUID().uuidString)"
        let logPath = run + ".log"
        FileManager.default.createFile(atPath: logPath, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try BuiltProducts.path("ballastd"))
        process.currentDirectoryURL = URL(fileURLWithPath: workingDirectory)
        process.arguments = ["--connection-file", run + "/ballastd.json", "--log-level", "info", "--ephemeral"] + arguments
        process.standardError = FileHandle(forWritingAtPath: logPath)
        try process.run()
        let deadline = Date().addingTimeInterval(20)
        var info: ConnectionInfo?
        while info == nil && Date() < deadline && process.isRunning {
            info = try? ConnectionInfo.read(from: run + "/ballastd.json")
            if info?.pid == nil { info = nil; Thread.sleep(forTimeInterval: 0.02) }
        }
        let daemon = BinaryDaemon(process: process, logPath: logPath)
        guard let info else {
            daemon.stop()
            XCTFail("the daemon did not start: \(daemon.log())")
            throw XCTSkip("no daemon")
        }
        let client = try Client(info)
        client.defaultTimeout = 20
        try client.initialize()
        _ = try client.call("model/load", params: ["path": .string(ModelFileTests.fixture("logistic", version: 2)), "name": "m"])
        daemon.client = client
        return daemon
    }

    // MARK: Reading

    /// `model/load` used to read a FIFO until a writer came (blocking the request queue for ever),
    /// `/dev/zero` until the daemon was killed for memory, and any large file whole.
    func testModelLoadReadsOnlyRegularFilesThatFitTheBudget() throws {
        let daemon = try TestDaemon { $0.memoryBudgetBytes = 1 << 20 }
        let client = try daemon.client()
        XCTAssertEqual(mkfifo(folder + "/fifo.json", 0o600), 0)
        for path in [folder + "/fifo.json", "/dev/zero"] {
            let error = try XCTUnwrap(client.rpcError("model/load", ["path": .string(path)]), path)
            XCTAssertEqual(error.code, ErrorCode.invalidData, error.message)
            XCTAssertEqual(error.message, "\(path) is not a regular file (a pipe, socket or device); only files are read.")
            XCTAssertEqual(error.data?["path"], .string(path))
        }
        XCTAssertEqual(client.rpcError("model/load", ["path": .string(folder + "/none.json")])?.code, ErrorCode.notFound)
        let large = folder + "/large.json"
        FileManager.default.createFile(atPath: large, contents: Data("{\"format\": \"ballast-model\"".utf8))
        XCTAssertEqual(truncate(large, off_t(64 << 20)), 0)
        let tooLarge = try XCTUnwrap(client.rpcError("model/load", ["path": .string(large)]))
        XCTAssertEqual(tooLarge.code, ErrorCode.resourceLimit, tooLarge.message)
        XCTAssertEqual(tooLarge.data?["bytes_needed"], .int(64 << 20))
        XCTAssertLessThan(try Self.residentBytes(large, size: 64 << 20), 16 << 20, "the file was not read")
        XCTAssertEqual(try client.call(Ping.method)["pong"], true, "the request queue still moves")
    }

    /// A 2 GiB file (sparse, so the test is quick) whose first block is binary is refused after
    /// one small read: afterwards almost none of it is in the page cache. Mapping it first read
    /// all 2 GiB.
    func testALargeBinaryFileIsRefusedOnItsFirstBlock() throws {
        let daemon = try TestDaemon { $0.memoryBudgetBytes = 1 << 40 }
        let client = try daemon.client()
        let path = folder + "/large.bin"
        let header: [UInt8] = [0x7F, 0x45, 0x4C, 0x46, 0x02, 0x01, 0x01, 0x00]  // an ELF header
        try Data(header).write(to: URL(fileURLWithPath: path))
        let size = 2 << 30
        XCTAssertEqual(truncate(path, off_t(size)), 0)

        let error = try XCTUnwrap(client.rpcError("dataset/load", ["path": .string(path)]))
        XCTAssertEqual(error.code, ErrorCode.invalidData)
        XCTAssertEqual(error.data?["kind"], "binary")
        XCTAssertEqual(error.data?["path"], .string(path))
        XCTAssertEqual(error.message, "\(path) looks like a binary file, not text: its first 64 KiB hold NUL bytes.")
        let resident = try Self.residentBytes(path, size: size)
        XCTAssertLessThan(resident, 64 << 20, "\(resident) bytes of the file were read into memory")

        // Control characters without a NUL are binary too; a little text with a tab or an escape is not.
        let controls = try write("controls.csv", Array(repeating: [0x01, 0x02, 0x41, 0x2C, 0x0A], count: 100).flatMap { $0 })
        XCTAssertEqual(client.rpcError("dataset/load", ["path": .string(controls)])?.data?["kind"], "binary")
        let text = try write("text.csv", Array("a\tb,y\n1,\u{1B}[0m,0\n2,x,1\n".utf8))
        XCTAssertNotEqual(client.rpcError("dataset/load", ["path": .string(text)])?.data?["kind"], "binary")
    }

    /// How many bytes of the file are in the page cache (`mincore` on a mapping that reads nothing).
    static func residentBytes(_ path: String, size: Int) throws -> Int {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw XCTSkip("cannot open \(path)") }
        defer { close(fd) }
        guard let mapped = mmap(nil, size, PROT_READ, MAP_SHARED, fd, 0), mapped != MAP_FAILED else { throw XCTSkip("cannot map \(path)") }
        defer { munmap(mapped, size) }
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        var pages = [UInt8](repeating: 0, count: (size + page - 1) / page)
        guard mincore(mapped, size, &pages) == 0 else { throw XCTSkip("mincore is not available") }
        return pages.reduce(0) { $0 + Int($1 & 1) } * page
    }

    // MARK: What errors may quote

    static let secret = "SECRET-TOKEN-abc123"

    /// Files that are not data, each holding the secret: no error from any way of loading them
    /// quotes it, in the message or in `data`.
    func testErrorsNeverQuoteAFileThatIsNotData() throws {
        let daemon = try TestDaemon()
        let client = try daemon.client()
        let secret = Self.secret
        let files = [
            try write("passwd", "\(secret):x:y\nroot:x:0:0:root:/root:/bin/bash\nalice:x:1000:1000:Alice,,,:/home/alice:/bin/bash\n"),
            try write("key.pem", "-----BEGIN OPENSSH PRIVATE KEY-----\n\(secret)b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9u\nZQAAAAAAAAABAAABlwAAAAdzc2gtcnNhAAAAAwEAAQAAAYEAx\n-----END OPENSSH PRIVATE KEY-----\n"),
            try write("long-line", secret + "," + String(repeating: "q", count: 5000) + "\n"),
            try write("pairs.csv", "\(secret),value\nuser,\(secret)\nadmin,\(secret)-2\n"),
            try write("token.env", "API_TOKEN=\(secret)\nOTHER;\(secret)|x\n"),
            try write("secret.json", "{\"\(secret)\" 1}\n"),
        ]
        let variants: [JSONValue] = [
            [:], ["label": "nope"], ["label": 0], ["label": 1], ["header": "present"], ["header": "absent"],
            ["header": "present", "label": "nope"], ["ignore": ["nope"]], ["ignore": [0]], ["ignore": [0], "label": 0],
            ["id": "nope"], ["id": 0], ["columns": ["nope"]], ["columns": [0]], ["positive": "nope"],
            ["delimiter": ";"], ["delimiter": "|"], ["delimiter": "tab"], ["delimiter": ","], ["missing": "drop_rows"],
            ["max_classes": 1], ["encoding": "utf-8"], ["header": "present", "id": "x", "label": 1],
        ]
        var refusals = 0
        for path in files {
            for variant in variants {
                guard case .object(var params) = variant else { continue }
                params["path"] = .string(path)
                params["name"] = "leak"
                guard let error = client.rpcError("dataset/load", .object(params)) else {
                    _ = try? client.call("dataset/drop", params: ["dataset": "leak"])
                    continue
                }
                refusals += 1
                let shown = error.message + " " + String(decoding: JSONWriter.data(error.data ?? .null), as: UTF8.self)
                XCTAssertFalse(shown.contains("SECRET"), "\(path) \(variant): \(shown)")
            }
            let model = try XCTUnwrap(client.rpcError("model/load", ["path": .string(path)]), path)
            let shown = model.message + " " + String(decoding: JSONWriter.data(model.data ?? .null), as: UTF8.self)
            XCTAssertFalse(shown.contains("SECRET"), "model/load \(path): \(shown)")
        }
        XCTAssertGreaterThan(refusals, files.count * variants.count / 2, "most loads of these files are refused")
    }

    /// A file recognised as data still gets messages that help find the bad cell: its header's
    /// names, the cell itself when short, and the start of a long one.
    func testOrdinaryCSVErrorsStillQuoteTheShortOffendingCell() throws {
        let daemon = try TestDaemon()
        let client = try daemon.client()
        let text = try write("text.csv", "amount,age,label\n1.5,30,0\n2.5,oops,1\n3.5,40,0\n")
        let mixed = try XCTUnwrap(client.rpcError("dataset/load", ["path": .string(text)]))
        XCTAssertEqual(mixed.message, "Line 3, column 2 ('age') holds 'oops' where the rest of the column is numbers.")
        XCTAssertEqual(mixed.data?["field"], "age")
        XCTAssertEqual(mixed.data?["line"], 3)
        XCTAssertEqual(mixed.data?["column"], 2)

        let long = String(repeating: "x", count: 40)
        let longCell = try write("long.csv", "amount,age,label\n1.5,30,0\n2.5,\(long),1\n3.5,40,0\n")
        let cut = try XCTUnwrap(client.rpcError("dataset/load", ["path": .string(longCell)]))
        XCTAssertEqual(cut.message, "Line 3, column 2 ('age') holds '\(String(repeating: "x", count: 31))…' where the rest of the column is numbers.")

        let unnamed = try XCTUnwrap(client.rpcError("dataset/load", ["path": .string(text), "label": "target"]))
        XCTAssertEqual(unnamed.message, "There is no column named 'target'; the header has: amount, age, label.")
    }

    private func write(_ name: String, _ text: String) throws -> String {
        try write(name, Array(text.utf8))
    }

    private func write(_ name: String, _ bytes: [UInt8]) throws -> String {
        let path = folder + "/" + name
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }
}

/// A `ballastd` process started by a test, stopped by `stop()` (idempotent).
private final class BinaryDaemon {
    let process: Process
    let logPath: String
    var client: Client!

    init(process: Process, logPath: String) {
        self.process = process
        self.logPath = logPath
    }

    func stop() {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
    }

    func log() -> String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }
}

/// How the state directory appears in the start-up line: resolved when it exists.
private enum WriteRootsLine {
    static var stateRoot: String {
        let environment = ProcessInfo.processInfo.environment
        let state = environment["XDG_STATE_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? (NSHomeDirectory() + "/.local/state")
        let path = state + "/ballast"
        return realpath(path, nil).map { pointer in defer { free(pointer) }; return String(cString: pointer) } ?? path + " (missing for now)"
    }
}
