// ping-bench: the round trip of a signed `ping` through ballastd, beside a bare ZeroMQ echo with
// the same frame sizes, measured in the same run so that the machine's noise hits both alike.
//
// Usage: ping-bench [BALLASTD] [--count N] [--warmup N] [--rounds N]
//   BALLASTD defaults to $BALLASTD, else ballastd beside this executable's main package build.
//
// Prints figures only; asserts nothing about time.

import BallastClient
import BallastProtocol
import BallastTransport
import Foundation
import ZeroMQ

// MARK: Arguments

struct Options {
    var daemon: String?
    var count = 20_000
    var warmup = 2_000
    /// The N round trips of each kind are taken in this many blocks, the kinds taking turns, so
    /// a burst of noise on the shared cores lands on every kind rather than on one.
    var rounds = 10
}

func parseOptions() -> Options {
    var options = Options()
    var arguments = CommandLine.arguments.dropFirst().makeIterator()
    while let argument = arguments.next() {
        switch argument {
        case "--count": options.count = Int(arguments.next() ?? "") ?? options.count
        case "--warmup": options.warmup = Int(arguments.next() ?? "") ?? options.warmup
        case "--rounds": options.rounds = max(1, Int(arguments.next() ?? "") ?? options.rounds)
        case "-h", "--help":
            print("usage: ping-bench [BALLASTD] [--count N] [--warmup N] [--rounds N]")
            exit(0)
        default: options.daemon = argument
        }
    }
    if options.daemon == nil, let fromEnvironment = ProcessInfo.processInfo.environment["BALLASTD"], !fromEnvironment.isEmpty {
        options.daemon = fromEnvironment
    }
    return options
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("ping-bench: \(message)\n".utf8))
    exit(1)
}

// MARK: The bare echo in its own process

/// `ping-bench --echo-server`: binds a ROUTER on loopback, prints its endpoint, echoes until `stop`.
/// Run as a child process, it is the fair peer of the daemon: a process boundary, its own
/// context and I/O thread, exactly what a ZeroMQ server that does nothing costs.
if CommandLine.arguments.dropFirst().first == "--echo-server" {
    do {
        let server = try EchoServer(context: try Context())
        FileHandle.standardOutput.write(Data((server.endpoint + "\n").utf8))
        server.waitUntilFinished()
        exit(0)
    } catch {
        fail("echo server: \(error)")
    }
}

// MARK: Control ping under load

/// Starts two long MLP trainings from a second client, times control-socket pings while both
/// run, then cancels them. Shows whether bookkeeping stays responsive when every worker computes.
func timeControlUnderTraining(_ info: ConnectionInfo, samples: inout [UInt64], count: Int) throws {
    let trainer = try Client(info)
    try trainer.initialize(name: "ping-bench-load", version: ProtocolVersion.serverVersion)
    _ = try trainer.call("dataset/generate", params: ["preset": "fraud", "name": "load"])
    for name in ["load-a", "load-b"] {
        let params: JSONValue = ["dataset": "load", "name": .string(name), "model": ["type": "mlp", "hidden": [32]],
                                 "optimizer": ["type": "adam", "epochs": 100_000]]
        try trainer.sendRaw(JSONWriter.data(Message.request(id: .string(name + "-\(UInt32.random(in: 0...UInt32.max))"),
                                                             method: "model/train", params: params).json))
    }
    let watcher = try Client(info)
    var running = 0
    let deadline = Date().addingTimeInterval(30)
    while running < 2 && Date() < deadline {
        running = try watcher.control("status")["in_flight"]?.arrayValue?.filter { $0["method"] == "model/train" }.count ?? 0
    }
    guard running == 2 else { throw BenchError("the two trainings did not start") }
    for _ in 0..<count {
        let start = nowNanoseconds()
        _ = try watcher.control(Ping.method)
        samples.append(nowNanoseconds() - start)
    }
    for name in ["load-a", "load-b"] { _ = try watcher.control("run/cancel", params: ["name": .string(name)]) }
    var answered = 0
    while answered < 2, try trainer.receiveMessage(timeout: 30) != nil { answered += 1 }
    trainer.close()
    watcher.close()
}

// MARK: Run

let options = parseOptions()
guard let daemonPath = options.daemon else {
    fail("give the path of ballastd as the first argument or in $BALLASTD")
}
guard FileManager.default.isExecutableFile(atPath: daemonPath) else {
    fail("\(daemonPath) is not an executable")
}

let daemon: Daemon
do { daemon = try Daemon(executable: daemonPath) } catch { fail("could not start \(daemonPath): \(error)") }

var requestSamples: [UInt64] = []
var controlSamples: [UInt64] = []
var echoSamples: [UInt64] = []
var localEchoSamples: [UInt64] = []
var busySamples: [UInt64] = []
requestSamples.reserveCapacity(options.count)
controlSamples.reserveCapacity(options.count)
echoSamples.reserveCapacity(options.count)

let daemonStatus: Int32?
do {
    let info = try daemon.waitForConnectionFile()
    let client = try Client(info)
    try client.initialize(name: "ping-bench", version: ProtocolVersion.serverVersion)

    // The peer: a bare echo in its own process, as the daemon is.
    let echoProcess = try EchoProcess()
    let echoContext = try Context()
    let dealer = try Socket(echoContext, .dealer)
    try dealer.connect(echoProcess.endpoint)
    // For reference: the same echo on a thread of this process (no process boundary).
    let localContext = try Context()
    let localEcho = try EchoServer(context: localContext)
    let localDealer = try Socket(try Context(), .dealer)
    try localDealer.connect(localEcho.endpoint)
    // The same frame sizes as a signed ping: 64 hex characters of signature, then a payload the
    // size of `{"jsonrpc":"2.0","id":NNNNNNNNNNNN,"method":"ping"}`.
    let signatureFrame = Data(String(repeating: "a1", count: 32).utf8)
    let samplePayload = Data(#"{"jsonrpc":"2.0","id":123456789012,"method":"ping"}"#.utf8)

    func timeRequest(_ n: Int, into samples: inout [UInt64]) throws {
        for _ in 0..<n {
            let start = nowNanoseconds()
            _ = try client.call(Ping.method)
            samples.append(nowNanoseconds() - start)
        }
    }
    func timeControl(_ n: Int, into samples: inout [UInt64]) throws {
        for _ in 0..<n {
            let start = nowNanoseconds()
            _ = try client.control(Ping.method)
            samples.append(nowNanoseconds() - start)
        }
    }
    func timeEcho(_ n: Int, into samples: inout [UInt64], via dealer: Socket) throws {
        for _ in 0..<n {
            let start = nowNanoseconds()
            try dealer.send([signatureFrame, samplePayload])
            guard let reply = try dealer.receive(), reply.count == 2 else { throw BenchError("bad echo reply") }
            samples.append(nowNanoseconds() - start)
        }
    }

    // Warm up every path (connections, caches, the daemon's first requests), untimed.
    var discard: [UInt64] = []
    discard.reserveCapacity(options.warmup)
    try timeRequest(options.warmup, into: &discard)
    discard.removeAll(keepingCapacity: true)
    try timeControl(options.warmup, into: &discard)
    discard.removeAll(keepingCapacity: true)
    try timeEcho(options.warmup, into: &discard, via: dealer)
    discard.removeAll(keepingCapacity: true)
    try timeEcho(options.warmup, into: &discard, via: localDealer)

    // Timed: the kinds take turns in blocks, the order rotating each round.
    let kinds = 4
    for round in 0..<options.rounds {
        let block = options.count / options.rounds + (round < options.count % options.rounds ? 1 : 0)
        for turn in 0..<kinds {
            switch (round + turn) % kinds {
            case 0: try timeRequest(block, into: &requestSamples)
            case 1: try timeControl(block, into: &controlSamples)
            case 2: try timeEcho(block, into: &echoSamples, via: dealer)
            default: try timeEcho(block, into: &localEchoSamples, via: localDealer)
            }
        }
    }

    // Under load: two trainings keep both job workers busy while the control socket is pinged.
    try timeControlUnderTraining(info, samples: &busySamples, count: min(options.count, 3_000))

    for (socket, _) in [(dealer, 0), (localDealer, 1)] {
        try socket.send([Data("stop".utf8), Data()])
        _ = try socket.receive()
        socket.close()
    }
    localEcho.waitUntilFinished()
    echoProcess.process.waitUntilExit()
    client.close()
    daemonStatus = daemon.stop()
} catch {
    daemon.stop()
    fail("\(error)")
}

// MARK: Report

let request = Summary("ballast request socket (Client.call \"ping\")", requestSamples)
let control = Summary("ballast control socket (Client.control \"ping\")", controlSamples)
let echo = Summary("bare ZeroMQ echo, own process (the peer)", echoSamples)
let localEcho = Summary("bare ZeroMQ echo, thread in this process", localEchoSamples)
let busy = Summary("ballast control socket, two trainings running", busySamples)

func fixed(_ value: Double, _ digits: Int = 1) -> String { String(format: "%.\(digits)f", value) }
func pad(_ text: String, _ width: Int, left: Bool = false) -> String {
    let padding = String(repeating: " ", count: max(0, width - text.count))
    return left ? text + padding : padding + text
}

let labelWidth = [request, control, echo, localEcho, busy].map(\.label.count).max()!
print("Ping round trip, \(options.count) each after \(options.warmup) warm-up, \(options.rounds) interleaved rounds; µs")
print(pad("", labelWidth, left: true) + pad("p50", 9) + pad("p99", 9) + pad("mean", 9) + pad("p50/echo", 10))
for row in [request, control, echo, localEcho, busy] {
    print(pad(row.label, labelWidth, left: true) + pad(fixed(row.p50), 9) + pad(fixed(row.p99), 9)
          + pad(fixed(row.mean), 9) + pad(fixed(row.p50 / echo.p50, 2), 10))
}
if let daemonStatus {
    print("ballastd stopped with SIGTERM, exit status \(daemonStatus)")
} else {
    print("ballastd did not stop within 15 s of SIGTERM and was killed")
}

func rounded(_ value: Double, _ digits: Double = 1) -> Double {
    let scale = pow(10, digits)
    return (value * scale).rounded() / scale
}
let json: [String: Any] = [
    "bench": "ping_swift",
    "n": options.count,
    "warmup": options.warmup,
    "request_p50_us": rounded(request.p50), "request_p99_us": rounded(request.p99),
    "control_p50_us": rounded(control.p50), "control_p99_us": rounded(control.p99),
    "echo_p50_us": rounded(echo.p50), "echo_p99_us": rounded(echo.p99),
    "local_echo_p50_us": rounded(localEcho.p50), "local_echo_p99_us": rounded(localEcho.p99),
    "control_under_training_p50_us": rounded(busy.p50), "control_under_training_p99_us": rounded(busy.p99),
    "request_vs_echo_p50": rounded(request.p50 / echo.p50, 3),
    "control_vs_echo_p50": rounded(control.p50 / echo.p50, 3),
    "daemon_exit_status": daemonStatus.map { Int($0) } ?? -1,
]
let encoded = try JSONSerialization.data(withJSONObject: json, options: [.sortedKeys])
print(String(decoding: encoded, as: UTF8.self))
