import BallastCLI
import BallastClient
import BallastProtocol
import BallastTransport
import Foundation

/// `ballast --stdio`: the editor bridge. Newline-delimited JSON-RPC on standard input and output,
/// relayed to the daemon, except the `repl/*` methods, which the bridge answers itself with the
/// command language (`ReplService`, run by `ReplWorkers` on threads of their own). The bridge signs what it sends and checks what it receives, renumbers
/// request ids (the daemon refuses a payload it has seen, and editors restart their ids at 1),
/// routes the control-only methods to the control socket, and forwards notifications such as
/// `$/progress` as lines. It ends when standard input ends and every request has been answered.
///
/// While requests wait, the bridge watches the daemon (`DaemonWatch`); when it exits, is replaced
/// or stops answering pings, every waiting request gets a -32013 error saying so, and the bridge
/// exits with status 3: the editor starts a new bridge, which finds or starts a new daemon.
enum StdioBridge {
    static func run(info: ConnectionInfo, connectionFile: String, options: SessionOptions) -> Int32 {
        let client: Client
        do { client = try Client(info, connectionFile: connectionFile, watch: false) } catch {
            printError("\(error)")
            return ExitStatus.noDaemon
        }
        defer { client.close() }
        let watch = DaemonWatch(info, connectionFile: connectionFile)
        var nextID = Int64.random(in: 1...(1 << 40))
        var pending: [Int64: JSONValue] = [:]      // bridge id → the editor's id
        var byEditorID: [JSONValue: Int64] = [:]   // the editor's id → bridge id (for $/cancelRequest)
        var buffer: [UInt8] = []
        var inputOpen = true
        let out = StdoutLines()
        let repl = ReplWorkers(service: ReplService(options: options), write: { out.write($0) })

        func emit(_ value: JSONValue) { out.write(value) }

        func idInUse(_ editorID: JSONValue) -> RPCError {
            RPCError(code: ErrorCode.invalidRequest,
                     message: "The id \(JSONWriter.string(editorID)) belongs to a request not answered yet; give each request an id of its own.",
                     data: ["id": editorID])
        }

        func relay(_ line: [UInt8]) {
            guard !line.allSatisfy({ $0 == 32 || $0 == 9 || $0 == 13 }) else { return }
            let value: JSONValue
            do { value = try JSONParser.parse(line) } catch {
                emit(Message.errorReply(id: nil, RPCError(code: ErrorCode.parseError, message: "The line is not valid JSON: \(error.reason).",
                                                          data: ["line": 1, "column": .int(Int64(error.column))])))
                return
            }
            guard case .object(var members) = value else {
                emit(Message.errorReply(id: nil, .invalidRequest("Send one JSON-RPC object per line.")))
                return
            }
            let method = members["method"]?.stringValue ?? ""
            if ReplService.methods.contains(method) {
                guard let editorID = members["id"] else { return }
                if byEditorID[editorID] != nil || !repl.submit(editorID: editorID, method: method, params: members["params"]) {
                    emit(Message.errorReply(id: RequestID(editorID), idInUse(editorID)))
                }
                return
            }
            if method == CancelRequest.method, let editorID = members["params"]?["id"], repl.cancel(editorID) { return }
            if let editorID = members["id"], method != "" {
                // A repl/* request still holds this id: its reply and this one's could not be
                // told apart, nor a cancel aimed at one of them.
                if repl.isOutstanding(editorID) {
                    emit(Message.errorReply(id: RequestID(editorID), idInUse(editorID)))
                    return
                }
                if pending.isEmpty { watch.heard() }
                let bridgeID = nextID
                nextID += 1
                pending[bridgeID] = editorID
                byEditorID[editorID] = bridgeID
                members["id"] = .int(bridgeID)
            } else if method == CancelRequest.method, let editorID = members["params"]?["id"], let bridgeID = byEditorID[editorID] {
                var params = members["params"]?.objectValue ?? [:]
                params["id"] = .int(bridgeID)
                members["params"] = .object(params)
            }
            do {
                try client.sendRaw(JSONWriter.data(.object(members)), control: Session.controlOnlyMethods.contains(method))
            } catch {
                if let editorID = members["id"].flatMap({ pending.removeValue(forKey: $0.intValue ?? -1) }) {
                    emit(Message.errorReply(id: RequestID(editorID), RPCError(code: ErrorCode.internalError, message: "The bridge could not send: \(error)")))
                }
            }
        }

        func deliver(_ message: JSONValue) {
            watch.heard()
            guard case .object(var members) = message else { return }
            if let id = members["id"]?.intValue, members["method"] == nil {
                guard let editorID = pending.removeValue(forKey: id) else { return }
                byEditorID[editorID] = nil
                members["id"] = editorID
            }
            emit(.object(members))
        }

        let flags = fcntl(STDIN_FILENO, F_GETFL)
        _ = fcntl(STDIN_FILENO, F_SETFL, flags | O_NONBLOCK)
        var chunk = [UInt8](repeating: 0, count: 65536)
        while inputOpen || !pending.isEmpty || repl.outstanding > 0 {
            // One wait for the editor's input and both sockets, whichever comes first (the repl
            // workers write their own replies; 50 ms bounds how late the loop sees them done).
            let inputReady: Bool
            do { inputReady = try client.wait(orReadable: inputOpen ? STDIN_FILENO : nil, timeout: 0.05) } catch {
                printError("\(error)")
                return ExitStatus.noDaemon
            }
            if inputOpen && inputReady {
                let n = read(STDIN_FILENO, &chunk, chunk.count)
                if n > 0 {
                    buffer += chunk[0..<n]
                    while let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                        relay(Array(buffer[..<newline]))
                        buffer.removeSubrange(...newline)
                    }
                } else if n == 0 || (errno != EAGAIN && errno != EINTR) {
                    if !buffer.isEmpty { relay(buffer); buffer = [] }
                    inputOpen = false
                }
            }
            do {
                while let message = try client.receiveMessage(timeout: 0) { deliver(message) }
                while let message = try client.receiveMessage(timeout: 0, control: true) { deliver(message) }
            } catch {
                printError("\(error)")
                return ExitStatus.noDaemon
            }
            // The daemon is gone: a running execute found it so, or the watch saw it while
            // requests (relayed or repl/*) wait.
            var departure = repl.daemonGone
            if departure == nil, !pending.isEmpty || repl.outstanding > 0, let reason = watch.check() {
                let gone = DaemonGone(reason: reason, pid: info.pid, waitingFor: "the editor's requests", connectionFile: connectionFile)
                departure = RPCError(code: ErrorCode.shuttingDown, message: gone.description + " " + gone.advice, data: gone.json)
            }
            if let error = departure {
                printError(error.message)
                for editorID in pending.values.sorted(by: { JSONWriter.string($0) < JSONWriter.string($1) }) {
                    emit(Message.errorReply(id: RequestID(editorID), error))
                }
                // A running execute ends by itself with -32013 (its session watches the daemon
                // too); the queued ones are answered now. Only a hang is bounded.
                repl.daemonIsGone(error)
                let deadline = Date().addingTimeInterval(60)
                while repl.outstanding > 0 && Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
                return ExitStatus.noDaemon
            }
        }
        // Everything is answered. repl/* requests ask the daemon on connections of their own
        // (and a lookup answers without it), so the bridge may not have seen it go: look once.
        if repl.used, let reason = DaemonWatch(info, connectionFile: connectionFile).check(), case .exited = reason {
            printError(DaemonGone(reason: reason, pid: info.pid, waitingFor: "the editor's requests", connectionFile: connectionFile).description)
            return ExitStatus.noDaemon
        }
        return ExitStatus.success
    }
}
