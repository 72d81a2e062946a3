import Foundation
import XCTest
@testable import BallastTransport

/// The one atomic file writer behind the connection file and the model file.
final class AtomicFileTests: XCTestCase {
    private var folder: String!

    override func setUpWithError() throws {
        folder = NSTemporaryDirectory() + "ballast-atomic-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: folder)
    }

    private func contents(_ path: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    private func mode(_ path: String) throws -> Int? {
        try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
    }

    func testAMissingDirectoryGivesAnErrorNamingThePathAndTheSystemsReason() throws {
        let path = folder + "/absent/model.json"
        XCTAssertThrowsError(try AtomicFile.write([1, 2, 3], to: path)) { error in
            guard let error = error as? AtomicFile.WriteError else { return XCTFail("\(error)") }
            XCTAssertEqual(error.path, path)
            XCTAssertEqual(error.step, .create)
            XCTAssertEqual(error.code, ENOENT)
            XCTAssertEqual(error.description, "Cannot write \(path): No such file or directory")
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder), [])
    }

    func testAnExistingFileIsReplacedWholeAndNoTemporaryFileIsLeft() throws {
        let path = folder + "/model.json"
        try AtomicFile.write(Array(repeating: UInt8(ascii: "x"), count: 100_000), to: path)
        try AtomicFile.write(Array("short".utf8), to: path)
        XCTAssertEqual(try contents(path), Array("short".utf8), "no tail of the longer file survives")
        try AtomicFile.write([], to: path)
        XCTAssertEqual(try contents(path), [])
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder), ["model.json"])
    }

    func testTheFileHasTheRequestedModeEvenWhenReplacingAMorePermissiveOne() throws {
        let path = folder + "/secret.json"
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data("old".utf8),
                                                     attributes: [.posixPermissions: 0o644]))
        try AtomicFile.write(Array("new".utf8), to: path, mode: 0o600)
        XCTAssertEqual(try mode(path), 0o600)
        XCTAssertEqual(try contents(path), Array("new".utf8))
    }

    func testAFailedRenameKeepsItsOwnReasonAndRemovesTheTemporaryFile() throws {
        let path = folder + "/taken"
        try FileManager.default.createDirectory(atPath: path + "/inside", withIntermediateDirectories: true)
        XCTAssertThrowsError(try AtomicFile.write([1], to: path)) { error in
            guard let error = error as? AtomicFile.WriteError else { return XCTFail("\(error)") }
            XCTAssertEqual(error.step, .rename)
            XCTAssertEqual(error.code, EISDIR, error.reason)
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder), ["taken"], "the temporary file is removed")
    }

    func testALinkPlantedAtTheTemporaryNameNeverReceivesTheContents() throws {
        let victim = folder + "/victim"
        XCTAssertTrue(FileManager.default.createFile(atPath: victim, contents: Data("victim".utf8)))
        let temporary = ".conn.json.planted.tmp"
        try FileManager.default.createSymbolicLink(atPath: folder + "/" + temporary, withDestinationPath: victim)
        XCTAssertThrowsError(try AtomicFile.write(Array("secret".utf8), to: folder + "/conn.json", mode: 0o600,
                                                  folderPolicy: .privateToOwner, temporaryName: temporary)) { error in
            guard let error = error as? AtomicFile.WriteError else { return XCTFail("\(error)") }
            XCTAssertEqual(error.step, .create)
            XCTAssertEqual(error.code, EEXIST, error.reason)
        }
        XCTAssertEqual(try contents(victim), Array("victim".utf8), "the link was not followed")
        // A dangling link (pointing where the attacker wants a file created) is not followed either.
        try FileManager.default.removeItem(atPath: victim)
        XCTAssertThrowsError(try AtomicFile.write(Array("secret".utf8), to: folder + "/conn.json", mode: 0o600,
                                                  folderPolicy: .privateToOwner, temporaryName: temporary))
        XCTAssertFalse(FileManager.default.fileExists(atPath: victim), "nothing was created through the link")
    }

    func testALinkPlantedAtTheTargetIsReplacedNotWrittenThrough() throws {
        let victim = folder + "/victim"
        XCTAssertTrue(FileManager.default.createFile(atPath: victim, contents: Data("victim".utf8)))
        let path = folder + "/conn.json"
        try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: victim)
        try AtomicFile.write(Array("secret".utf8), to: path, mode: 0o600, folderPolicy: .privateToOwner)
        XCTAssertEqual(try contents(victim), Array("victim".utf8))
        XCTAssertEqual(try FileManager.default.attributesOfItem(atPath: path)[.type] as? FileAttributeType, .typeRegular)
        XCTAssertEqual(try contents(path), Array("secret".utf8))
    }

    func testAPrivateFileIsNotWrittenIntoAFolderOthersMayWriteOrThroughALinkedFolder() throws {
        let shared = folder + "/shared"
        try FileManager.default.createDirectory(atPath: shared, withIntermediateDirectories: false)
        chmod(shared, 0o777)
        XCTAssertThrowsError(try AtomicFile.write([1], to: shared + "/conn.json", mode: 0o600, folderPolicy: .privateToOwner)) { error in
            guard let error = error as? AtomicFile.WriteError else { return XCTFail("\(error)") }
            XCTAssertEqual(error.step, .checkFolder)
            XCTAssertTrue(error.description.contains("writable by other users (mode 0777)"), error.description)
            XCTAssertTrue(error.description.contains("chmod go-w"), error.description)
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: shared), [])
        chmod(shared, 0o1777)
        XCTAssertNoThrow(try AtomicFile.write([1], to: shared + "/conn.json", mode: 0o600, folderPolicy: .privateToOwner),
                         "a sticky folder keeps others from replacing our file")

        let owned = folder + "/owned"
        try FileManager.default.createDirectory(atPath: owned, withIntermediateDirectories: false)
        if geteuid() == 0 {
            chown(owned, 65_534, 65_534)
            XCTAssertThrowsError(try AtomicFile.write([1], to: owned + "/conn.json", mode: 0o600, folderPolicy: .privateToOwner)) { error in
                XCTAssertTrue("\(error)".contains("belongs to user id 65534"), "\(error)")
            }
        }

        let linked = folder + "/linked"
        try FileManager.default.createSymbolicLink(atPath: linked, withDestinationPath: owned)
        XCTAssertThrowsError(try AtomicFile.write([1], to: linked + "/conn.json", mode: 0o600, folderPolicy: .privateToOwner)) { error in
            XCTAssertTrue("\(error)".contains("is a symbolic link"), "\(error)")
        }
        XCTAssertNoThrow(try AtomicFile.write([1], to: linked + "/model.json"), "other files may go through links")
    }

    func testPathsAreSplitAtTheLastSlashAndARelativeOneIsBesideTheWorkingDirectory() {
        XCTAssertEqual(FolderAndName("model.json").folder, ".")
        XCTAssertEqual(FolderAndName("/model.json").folder, "/")
        XCTAssertEqual(FolderAndName("/model.json").path, "/model.json")
        XCTAssertEqual(FolderAndName("/a/b/model.json").folder, "/a/b")
        XCTAssertEqual(FolderAndName("/a/b/model.json").name, "model.json")
        XCTAssertEqual(FolderAndName("/a/b/").name, "")
        XCTAssertFalse(FolderAndName.isEntryName(""))
        XCTAssertFalse(FolderAndName.isEntryName(".."))
        XCTAssertFalse(FolderAndName.isEntryName("a/b"))
        XCTAssertTrue(FolderAndName.isEntryName(".hidden"))
    }

    // MARK: An open folder

    private func resolved(_ path: String) throws -> String {
        try XCTUnwrap(realpath(path, nil).map { pointer in defer { free(pointer) }; return String(cString: pointer) })
    }

    /// The folder is opened and checked once; swapped for a link to elsewhere afterwards, the file
    /// still lands in the folder that was opened, and nothing goes where the link points.
    func testAFileWrittenIntoAnOpenFolderLandsThereEvenWhenItsPathNowNamesALink() throws {
        let approved = folder + "/approved", elsewhere = folder + "/elsewhere"
        for path in [approved, elsewhere] { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false) }
        let opened = try OpenFolder(approved, policy: .any)
        XCTAssertEqual(rename(approved, folder + "/moved"), 0)
        XCTAssertEqual(symlink(elsewhere, approved), 0)
        try AtomicFile.write(Array("model".utf8), named: "m.json", in: opened)
        XCTAssertEqual(try contents(folder + "/moved/m.json"), Array("model".utf8))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: elsewhere), [], "nothing went through the link")
        XCTAssertThrowsError(try AtomicFile.write([1], named: "../escape.json", in: opened)) { error in
            XCTAssertEqual((error as? AtomicFile.WriteError)?.code, EINVAL, "\(error)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder + "/escape.json"))
    }

    /// A resolved path is walked from `/` without following links: a folder on the way that has
    /// become a link since it was resolved fails the walk, naming it.
    func testWalkingAResolvedPathRefusesAFolderOnTheWayThatBecameALink() throws {
        let real = try resolved(folder) + "/real"
        try FileManager.default.createDirectory(atPath: real + "/sub", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: folder + "/other/sub", withIntermediateDirectories: true)
        let walked = try OpenFolder(walkingResolved: real + "/sub")
        try AtomicFile.write([1], named: "first.json", in: walked)
        XCTAssertTrue(FileManager.default.fileExists(atPath: real + "/sub/first.json"))

        XCTAssertEqual(rename(real, folder + "/real.before"), 0)
        XCTAssertEqual(symlink(folder + "/other", real), 0)
        XCTAssertThrowsError(try OpenFolder(walkingResolved: real + "/sub").path) { error in
            guard let failure = error as? OpenFolder.Failure else { return XCTFail("\(error)") }
            XCTAssertEqual(failure.stage, .open)
            XCTAssertEqual(failure.reason, "\(real) is now a symbolic link, though it was a folder when the path was checked; nothing is written through it.")
        }
        XCTAssertThrowsError(try OpenFolder(walkingResolved: real + "/../other").path, "only resolved paths are walked")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder + "/other/sub"), [])
    }

    /// Folders on the way need only be searchable, as for any path the system resolves.
    func testWalkingNeedsOnlySearchPermissionOnTheWay() throws {
        let base = try resolved(folder)
        try FileManager.default.createDirectory(atPath: base + "/locked/inner", withIntermediateDirectories: true)
        XCTAssertEqual(chmod(base + "/locked", 0o311), 0)
        defer { chmod(base + "/locked", 0o755) }
        let walked = try OpenFolder(walkingResolved: base + "/locked/inner")
        try AtomicFile.write([1], named: "m.json", in: walked)
        XCTAssertTrue(FileManager.default.fileExists(atPath: base + "/locked/inner/m.json"))
    }
}
