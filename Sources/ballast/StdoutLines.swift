import BallastProtocol
import Foundation
import Synchronization

/// The bridge's standard output: one JSON message a line, written whole under one lock, since
/// the stdio loop and the `repl/*` workers write from their own threads.
final class StdoutLines: Sendable {
    private let lock = Mutex(())

    func write(_ value: JSONValue) {
        let line = Data(JSONWriter.data(value) + [UInt8(ascii: "\n")])
        lock.withLock { _ in FileHandle.standardOutput.write(line) }
    }
}
