import BallastProtocol
import Foundation
import Synchronization
import XCTest

/// A real `ballast --stdio` child process, spoken to line by line as an editor does: each
/// message written as one line, each line it prints read as one message (on a thread, so the
/// tests wait with a bound that only catches a hang).
final class ReplBridgeProcess {
    let process = Process()
    private let input = Pipe()
    private let output = Pipe()
    private let errors = Pipe()
    private let inbox = Inbox()

    /// The lines read so far, shared with the reading thread.
    private final class Inbox: Sendable {
        let lines = Mutex<[JSONValue]>([])
        let arrived = DispatchSemaphore(value: 0)
    }

    /// A bridge to the daemon of `connectionFile`; it never starts a daemon of its own.
    init(connectionFile: String) throws {
        process.executableURL = URL(fileURLWithPath: try BuiltProducts.path("ballast"))
        process.arguments = ["--stdio", "--connection-file", connectionFile, "--no-spawn"]
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let handle = output.fileHandleForReading
        let thread = Thread { [inbox] in
            var buffer = Data()
            while true {
                let chunk = handle.availableData
                if chunk.isEmpty { break }
                buffer += chunk
                while let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                    let line = buffer[buffer.startIndex..<newline]
                    buffer = Data(buffer[(newline + 1)...])
                    let value = (try? JSONParser.parse(Array(line))) ?? .string(String(decoding: line, as: UTF8.self))
                    inbox.lines.withLock { $0.append(value) }
                    inbox.arrived.signal()
                }
            }
            inbox.arrived.signal()
        }
        thread.start()
    }

    func send(_ message: JSONValue) {
        input.fileHandleForWriting.write(Data(JSONWriter.data(message) + [UInt8(ascii: "\n")]))
    }

    func request(_ id: Int64, _ method: String, _ params: JSONValue) {
        send(["jsonrpc": "2.0", "id": .int(id), "method": .string(method), "params": params])
    }

    func cancel(_ id: Int64) {
        send(["jsonrpc": "2.0", "method": "$/cancelRequest", "params": ["id": .int(id)]])
    }

    /// The next message the bridge printed, or nil when none came within `timeout` seconds.
    func next(timeout: Double = 60) -> JSONValue? {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let first: JSONValue? = inbox.lines.withLock { lines in
                if lines.isEmpty { return nil }
                return .some(lines.removeFirst())
            }
            if let first { return first }
            if Date() >= deadline { return nil }
            _ = inbox.arrived.wait(timeout: .now() + 0.2)
        }
    }

    /// Messages up to and including the reply with `id`: the reply, and what came before it.
    func reply(to id: JSONValue, timeout: Double = 60) -> (reply: JSONValue?, before: [JSONValue]) {
        var before: [JSONValue] = []
        while let message = next(timeout: timeout) {
            if message["id"] == id && message["method"] == nil { return (message, before) }
            before.append(message)
        }
        return (nil, before)
    }

    /// Ends standard input and waits for the bridge to exit; nil when it did not within `timeout`.
    func finish(timeout: Double = 30) -> Int32? {
        try? input.fileHandleForWriting.close()
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        if process.isRunning { process.terminate(); return nil }
        return process.terminationStatus
    }

    var standardError: String {
        String(decoding: errors.fileHandleForReading.availableData, as: UTF8.self)
    }

    deinit {
        if process.isRunning { process.terminate() }
    }
}
