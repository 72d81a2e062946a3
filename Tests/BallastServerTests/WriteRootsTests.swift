import BallastProtocol
import Foundation
import XCTest
@testable import BallastServer

/// Which folders `model/save` may write into by default, and that a root given by name counts
/// whatever it is.
final class WriteRootsTests: XCTestCase {
    private var folder: String!

    override func setUpWithError() throws {
        let made = NSTemporaryDirectory() + "ballast-roots-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: made, withIntermediateDirectories: false)
        folder = try XCTUnwrap(WriteRoots.resolve(made).path)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: folder)
    }

    /// A daemon started by an editor often inherits `/` as its working directory; a root of `/`
    /// would confine nothing, so that working directory is no root (however it is spelled).
    func testTheWorkingDirectoryIsADefaultRootUnlessItIsTheFileSystemsRoot() {
        XCTAssertEqual(WriteRoots.defaults(workingDirectory: folder), [folder, WriteRoots.stateDirectory])
        XCTAssertEqual(WriteRoots.defaults(workingDirectory: "/"), [WriteRoots.stateDirectory])
        XCTAssertEqual(WriteRoots.defaults(workingDirectory: folder + "/../" + String(repeating: "../", count: 40)),
                       [WriteRoots.stateDirectory], "a spelling of / that resolves to it")

        let roots = WriteRoots(roots: WriteRoots.defaults(workingDirectory: "/"))
        XCTAssertThrowsError(try roots.approve(folder + "/m.json").name) { error in
            XCTAssertEqual((error as? RPCError)?.data?["kind"], "outside_write_roots", "\(error)")
        }
    }

    /// `--write-root /` is the user's own choice: then every folder is inside.
    func testARootOfSlashGivenByNameAllowsEveryFolder() throws {
        let approved = try WriteRoots(roots: ["/"]).approve(folder + "/m.json")
        XCTAssertEqual(approved.name, "m.json")
        XCTAssertEqual(approved.folder.path, folder)
        XCTAssertTrue(WriteRoots.folder("/anything/at/all", isInside: "/"))
        XCTAssertFalse(WriteRoots.folder("/a/bc", isInside: "/a/b"))
    }

    func testTheStartUpSummaryResolvesEachRootAndSaysWhichAreMissing() throws {
        let folder: String = folder
        try FileManager.default.createDirectory(atPath: folder + "/real", withIntermediateDirectories: false)
        XCTAssertEqual(symlink(folder + "/real", folder + "/link"), 0)
        let summary = WriteRoots(roots: [folder + "/link", folder + "/absent"]).summary
        XCTAssertTrue(summary.hasPrefix("model/save may write inside: \(folder)/real, \(folder)/absent (missing for now)."), summary)
    }
}
