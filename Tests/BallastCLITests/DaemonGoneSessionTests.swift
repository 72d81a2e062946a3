import BallastClient
import BallastProtocol
import BallastTransport
import Foundation
import Testing
@testable import BallastCLI

/// A session whose daemon goes away between two commands (`ballast stop` from another shell):
/// the next command fails within seconds with a sentence that says so, rather than waiting for
/// ever, and the one after starts a fresh daemon.
@Suite struct DaemonGoneSessionTests {
    @Test func aStoppedDaemonIsReportedAndTheNextCommandStartsAFreshOne() throws {
        try withLiveSession { session, output, folder in
            #expect(Runner.script("ping", source: "-c", session: session) == 0)
            let connectionFile = folder + "/ballastd.json"
            let old = try #require(try ConnectionInfo.read(from: connectionFile).pid)
            #expect(try DaemonStopper.stop(connectionFile: connectionFile) == .stopped(pid: old))
            #expect(!FileManager.default.fileExists(atPath: connectionFile), "stop returns once the file is gone")
            #expect(ProcessLiveness.isGone(old), "stop returns once the process is gone")

            #expect(Runner.script("datasets", source: "-c", session: session) == 3, "no daemon: README's exit status 3")
            #expect(output.errors.joined().contains("The daemon (pid \(old)) has stopped while 'dataset/list' waited for its reply"))

            #expect(Runner.script("ping", source: "-c", session: session) == 0, "the next command starts a fresh daemon")
            let fresh = try #require(try ConnectionInfo.read(from: connectionFile).pid)
            #expect(fresh != old)
        }
    }
}
