import ArgumentParser
import BallastCLI
import BallastClient
import BallastProtocol
import BallastTransport
import Foundation

/// `ballast`: the command-line client. Finds the daemon (starting one if none runs) and talks
/// to it: an interactive REPL with no arguments, scripts with `run FILE` or `-c`, the editor
/// bridge with `--stdio`, single JSON-RPC calls with `call`. Exit status: see `ExitStatus`.
struct Ballast: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ballast",
        abstract: "Talk to the Ballast daemon: imbalanced datasets, class weights, CE vs WCE training.",
        discussion: """
        With no arguments, opens a REPL ('help' lists the commands); standard input that is not a terminal is run as a script.

        Examples:
          ballast -c "generate fraud as cards; split cards test=0.3 val=0.2; datasets"
          ballast run examples/seed.bal
          ballast --stdio   # the editor bridge (protocol/README.md)

        Exit status: 0 success, 1 the daemon answered with an error, 2 bad usage, 3 no daemon reachable (or it stopped while a command waited), 4 no reply within --timeout (the request was cancelled), 130 interrupted.
        """,
        version: "ballast \(ProtocolVersion.serverVersion) (protocol \(ProtocolVersion.current))",
        subcommands: [Interactive.self, Call.self, RunScript.self, StatusCommand.self, Stop.self],
        defaultSubcommand: Interactive.self)
}

/// The default subcommand: the REPL, `-c`, piped standard input, or the `--stdio` bridge.
struct Interactive: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "repl",
        abstract: "The REPL (the default): line editing, history, Tab completion; -c runs commands; --stdio is the editor bridge.")

    @OptionGroup var session: SessionFlags

    @Option(name: [.customShort("c"), .customLong("command")], help: "Run these commands (separated by ';' or new lines) and exit.")
    var commands: String?

    @Flag(help: "Relay newline-delimited JSON-RPC between standard input/output and the daemon (the editor bridge).")
    var stdio = false

    func run() throws {
        if stdio {
            let info: ConnectionInfo
            do { info = try DaemonLauncher.connect(connectionFile: session.connectionFile, spawn: !session.noSpawn) } catch {
                printError("\(error)")
                throw ExitCode(ExitStatus.of(error))
            }
            // The repl/* sessions use the daemon found or started here and never start another:
            // once it is gone, the bridge answers -32013 and exits 3, as for relayed requests.
            var replOptions = session.options
            replOptions.noSpawn = true
            throw ExitCode(StdioBridge.run(info: info, connectionFile: DaemonLauncher.resolvedPath(session.connectionFile),
                                           options: replOptions))
        }
        if let commands {
            let live = Session(options: session.options)
            Interrupts.shared.install(canceller: live.canceller)
            Interrupts.shared.whenIdle { Foundation.exit(ExitStatus.interrupted) }
            throw ExitCode(Runner.script(commands, source: "-c", session: live))
        }
        if isatty(STDIN_FILENO) == 1 {
            var options = session.options
            options.interactive = true
            let live = Session(options: options)
            Interrupts.shared.install(canceller: live.canceller)
            throw ExitCode(REPL(session: live).run())
        }
        let live = Session(options: session.options)
        Interrupts.shared.install(canceller: live.canceller)
        Interrupts.shared.whenIdle { Foundation.exit(ExitStatus.interrupted) }
        let input = FileHandle.standardInput.readDataToEndOfFile()
        throw ExitCode(Runner.script(String(decoding: input, as: UTF8.self), source: "<stdin>", session: live))
    }
}

/// The options of a command session (REPL, script, -c).
struct SessionFlags: ParsableArguments {
    @Flag(help: "Print each command's result as one JSON object per line (errors too, as {\"ok\": false, \"error\": …}).")
    var json = false

    @Flag(help: "In a script, report a failing command and go on with the next.")
    var keepGoing = false

    @Option(help: "The daemon's connection file (default: $BALLAST_CONNECTION_FILE or $XDG_RUNTIME_DIR/ballast/ballastd.json).")
    var connectionFile: String?

    @Flag(help: "Do not start a daemon when none is running.")
    var noSpawn = false

    @Option(help: "Seconds to wait for each reply, a finite number above 0; a request that runs out of time is cancelled and the exit status is 4 (default: no limit while the daemon lives; Ctrl-C cancels, a second Ctrl-C stops waiting).")
    var timeout: Double?

    func validate() throws {
        try checkTimeout(timeout)
    }

    var options: SessionOptions {
        var options = SessionOptions(json: json, keepGoing: keepGoing, connectionFile: connectionFile, noSpawn: noSpawn)
        if let timeout { options.timeout = timeout }
        return options
    }
}

struct RunScript: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a script of REPL commands; stops at the first error (reported as FILE:LINE) unless --keep-going.",
        discussion: "Example: ballast run examples/seed.bal")

    @OptionGroup var session: SessionFlags

    @Argument(help: "The script ('-' for standard input).")
    var file: String

    func run() throws {
        let text: String
        if file == "-" {
            text = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
        } else {
            guard let data = FileManager.default.contents(atPath: file) else {
                printError("Cannot read the script \(file).")
                throw ExitCode(ExitStatus.usage)
            }
            text = String(decoding: data, as: UTF8.self)
        }
        let live = Session(options: session.options)
        Interrupts.shared.install(canceller: live.canceller)
        Interrupts.shared.whenIdle { Foundation.exit(ExitStatus.interrupted) }
        throw ExitCode(Runner.script(text, source: file, session: live))
    }
}

struct ConnectionOptions: ParsableArguments {
    @Option(help: "The daemon's connection file (default: $BALLAST_CONNECTION_FILE or $XDG_RUNTIME_DIR/ballast/ballastd.json).")
    var connectionFile: String?

    @Flag(help: "Do not start a daemon when none is running.")
    var noSpawn = false

    @Option(help: "Seconds to wait for the reply, a finite number above 0; a request that runs out of time is cancelled and the exit status is 4 (default: no limit while the daemon lives; 10 s on the control socket; for stop, 60 s for the daemon to exit).")
    var timeout: Double?

    var path: String { DaemonLauncher.resolvedPath(connectionFile) }

    func validate() throws {
        try checkTimeout(timeout)
    }

    func connect() throws -> ConnectionInfo {
        do {
            return try DaemonLauncher.connect(connectionFile: connectionFile, spawn: !noSpawn)
        } catch {
            printError("\(error)")
            throw ExitCode(ExitStatus.of(error))
        }
    }
}

struct Call: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Send one request and print its result as JSON.",
        discussion: """
        Examples:
          ballast call ping
          ballast call dataset/generate '{"preset": "fraud", "name": "cards"}'
          ballast call status --control
        """)

    @OptionGroup var connection: ConnectionOptions

    @Argument(help: "The method, e.g. ping or dataset/describe.")
    var method: String

    @Argument(help: "The params as a JSON object (default {}).")
    var params: String = "{}"

    @Flag(help: "Send on the control socket (ping, status, shutdown).")
    var control = false

    @Flag(help: "Print notifications (such as $/progress) to standard error as they arrive.")
    var progress = false

    func run() throws {
        let parsed: JSONValue
        do { parsed = try JSONParser.parse(params) } catch {
            printError("The params are not valid JSON: \(error).")
            throw ExitCode(ExitStatus.usage)
        }
        guard case .object(var members) = parsed else {
            printError("The params must be a JSON object, like '{\"dataset\": \"cards\"}'.")
            throw ExitCode(ExitStatus.usage)
        }
        if progress && !control && members["progress_token"] == nil { members["progress_token"] = "cli" }
        let info = try connection.connect()
        let canceller = RequestCanceller()
        Interrupts.shared.install(canceller: canceller)
        Interrupts.shared.whenIdle { Foundation.exit(ExitStatus.interrupted) }
        do {
            print(JSONWriter.string(try send(.object(members), to: info, canceller: canceller), pretty: true))
        } catch {
            printError("\(error)")
            throw ExitCode(canceller.cancelWasSent ? ExitStatus.interrupted : ExitStatus.of(error))
        }
    }

    /// Sends the request; Ctrl-C cancels it (a second stops waiting), as in a session.
    private func send(_ params: JSONValue, to info: ConnectionInfo, canceller: RequestCanceller) throws(ClientError) -> JSONValue {
        let client = try Client(info, connectionFile: connection.path)
        defer { client.close() }
        if control { return try client.control(method, params: params, timeout: connection.timeout ?? Client.controlTimeout) }
        try client.initialize()
        let target = RequestCanceller.Target(info: info, session: client.session, id: client.upcomingID)
        let outcome = canceller.running(target) {
            Result { () throws(ClientError) -> JSONValue in
                try client.call(method, params: params, timeout: connection.timeout, onNotification: { name, params in
                    if progress { printError(JSONWriter.string(["method": .string(name), "params": params])) }
                }, shouldStop: { canceller.stopWaiting })
            }
        }
        return try outcome.get()
    }
}

struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "Show what the daemon is doing (control socket).")
    @OptionGroup var connection: ConnectionOptions

    func run() throws {
        var options = connection
        options.noSpawn = true
        let info = try options.connect()
        do {
            let client = try Client(info, connectionFile: connection.path)
            defer { client.close() }
            print(JSONWriter.string(try client.control(Status.method, timeout: connection.timeout ?? Client.controlTimeout), pretty: true))
        } catch {
            printError("\(error)")
            throw ExitCode(ExitStatus.of(error))
        }
    }
}

struct Stop: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Stop the daemon gracefully (control socket shutdown); returns once it has exited and removed its connection file.")
    @OptionGroup var connection: ConnectionOptions

    func run() throws {
        let outcome: DaemonStopper.Outcome
        do { outcome = try DaemonStopper.stop(connectionFile: connection.connectionFile, wait: connection.timeout ?? 60) } catch {
            printError("\(error)")
            throw ExitCode(ExitStatus.of(error))
        }
        switch outcome {
        case .stopped:
            break
        case .notRunning(let stale):
            printError("No daemon is running." + (stale.map { " Removed the connection file left by pid \($0), which is gone." } ?? ""))
        case .notAnswering(let pid):
            printError("The daemon (pid \(pid)) named in \(connection.path) does not answer on its control socket; if it is stuck, end it with 'kill \(pid)'.")
            throw ExitCode(ExitStatus.noDaemon)
        case let .stillRunning(pid, seconds):
            let who = pid.map { "The daemon (pid \($0))" } ?? "The daemon"
            let kill = pid.map { "; end it with 'kill \($0)'" } ?? ""
            printError("\(who) was asked to stop but is still running after \(Int(seconds)) s (it may be finishing a long step): wait for it\(kill).")
            throw ExitCode(ExitStatus.timedOut)
        }
    }
}

/// `--timeout` must be a time to wait: NaN, infinity, zero and negative numbers are usage errors (exit 2).
func checkTimeout(_ timeout: Double?) throws {
    if let timeout, let problem = WaitLimit.problem(timeout, named: "--timeout") { throw ValidationError(problem) }
}

func printError(_ text: String) {
    FileHandle.standardError.write(Data(("ballast: " + text + "\n").utf8))
}

ExitStatus.runMain(Ballast.self)
