import BallastProtocol
import BallastTransport
import Foundation

/// Tells a waiting client, within a few seconds, that its daemon is gone. `check()` looks at the
/// daemon's process every `lookInterval`. Any message from the daemon counts as a sign of life
/// (`heard()`); after `silence` seconds without one, `check()` also reads its connection file,
/// and sends a control `ping` every `pingInterval` on a socket of its own. A daemon whose process is gone (looked at only
/// when it listens on a loopback address: another machine's pid means nothing here), whose connection file
/// names another daemon, or that leaves `failedPings` pings in a row unanswered is reported gone.
///
/// - Important: not thread-safe, like the client that owns it.
public final class DaemonWatch {
    public struct Timing: Sendable {
        public var silence: Double = 1
        public var pingInterval: Double = 2
        public var pingTimeout: Double = 2
        public var failedPings = 3
        /// How often, at most, a silent daemon is looked at (callers may ask far more often).
        public var lookInterval = 0.2
        public init() {}
    }

    public let info: ConnectionInfo
    public let connectionFile: String?
    public let timing: Timing
    private var pinger: Client?
    private var lastHeard = Date()
    private var lastLook = Date.distantPast
    private var lastFileCheck = Date.distantPast
    private var outstanding: (id: RequestID, sent: Date)?
    private var lastPingSent = Date.distantPast
    private var failures = 0
    private var nextPingID = Int64.random(in: 1...(1 << 40))

    public init(_ info: ConnectionInfo, connectionFile: String?, timing: Timing = Timing()) {
        self.info = info
        self.connectionFile = connectionFile
        self.timing = timing
    }

    deinit { pinger?.close() }

    /// The daemon just said something: it is alive.
    public func heard() {
        lastHeard = Date()
        failures = 0
    }

    /// Why the daemon is gone, or nil while it may still answer. Cheap enough to call every
    /// fraction of a second: it looks only after `silence`, and never blocks.
    public func check(now: Date = Date()) -> DaemonGone.Reason? {
        guard now.timeIntervalSince(lastLook) >= timing.lookInterval else { return nil }
        lastLook = now
        // A process that is gone is certain and cheap to see: look at once, not after `silence`.
        // Only a daemon on this machine has a pid to look at; one reached over the network is
        // judged by its pings.
        if info.processIsGone { return .exited }
        guard now.timeIntervalSince(lastHeard) >= timing.silence else { return nil }
        if now.timeIntervalSince(lastFileCheck) >= timing.silence, let reason = fileNamesAnother() {
            return reason
        }
        return pingVerdict(now: now)
    }

    /// A connection file that now names another daemon. A missing file says nothing: a daemon
    /// removes its file first when it stops, and may still answer what it was doing.
    private func fileNamesAnother() -> DaemonGone.Reason? {
        lastFileCheck = Date()
        guard let connectionFile, let current = try? ConnectionInfo.read(from: connectionFile) else { return nil }
        if current.pid != info.pid || current.key != info.key { return .replaced(by: current.pid) }
        return nil
    }

    private func pingVerdict(now: Date) -> DaemonGone.Reason? {
        if let pending = outstanding {
            if receivedPong(pending.id) {
                outstanding = nil
                failures = 0
            } else if now.timeIntervalSince(pending.sent) >= timing.pingTimeout {
                outstanding = nil
                failures += 1
                if failures >= timing.failedPings {
                    return .unresponsive(seconds: now.timeIntervalSince(lastHeard))
                }
            }
        }
        if outstanding == nil && now.timeIntervalSince(lastPingSent) >= timing.pingInterval {
            sendPing(now: now)
        }
        return nil
    }

    private func sendPing(now: Date) {
        if pinger == nil { pinger = try? Client(info, watch: false) }
        guard let pinger else { return }
        let id = RequestID.number(nextPingID)
        nextPingID += 1
        let message = Message.request(id: id, method: Ping.method, params: [:]).json
        do { try pinger.sendRaw(JSONWriter.data(message), control: true) } catch { return }
        outstanding = (id, now)
        lastPingSent = now
    }

    private func receivedPong(_ id: RequestID) -> Bool {
        guard let pinger else { return false }
        while let message = try? pinger.receiveMessage(timeout: 0.001, control: true) {
            if case .success(.response(let replyID, _)) = Message.classify(message), replyID == id { return true }
        }
        return false
    }
}
