import BallastClient
import BallastProtocol
import BallastTransport
import Foundation

/// One client session: the connection (made on first use), the grammar built from the
/// vocabulary the daemon advertised, what this session has learnt (which run made which model,
/// the last comparison), and how each command's result is shown. Every front door (the REPL,
/// scripts, a kernel) runs its commands through one of these.
///
/// - Important: use a session from one thread, like the client inside it; only `canceller` is
///   for other threads.
public final class Session {
    public let options: SessionOptions
    /// What the renderings fit: the REPL's own terminal, or a plain width a front door sets per
    /// request (`repl/execute`'s `width`).
    public var terminal: Terminal
    public let output: any SessionOutput
    /// Cancels the request this session waits on, from another thread.
    public let canceller: RequestCanceller
    /// `Grammar.offline` until the daemon answers `initialize`, then one built from its capabilities.
    public private(set) var grammar: Grammar = .offline
    private var client: Client?
    private var tokens = 0
    var modelRuns: [String: String] = [:]
    var lastCompare: JSONValue?
    var lastSweep: JSONValue?
    /// The last `runs` listing's filters and where its next page starts, for `runs next`.
    var runPages: RunPages?
    /// The structured result of the command `execute` ran last: the daemon's reply (`call` too);
    /// nil for a local command that has none, or when it failed.
    public internal(set) var lastResult: JSONValue?
    /// Called with each `$/progress` value of a long request (the daemon's `value`), on the
    /// session's thread, for a front door that draws its own progress. While set, every long
    /// request carries a progress token, on a terminal or not.
    public var onProgress: ((JSONValue) -> Void)?
    /// The daemon this session saw go (exit, be replaced, stop answering) since it last
    /// connected; nil while connected or before.
    public private(set) var departed: DaemonGone?

    public init(options: SessionOptions, terminal: Terminal = .detect(), output: any SessionOutput = StandardStreams(),
                canceller: RequestCanceller = RequestCanceller()) {
        self.options = options
        self.terminal = terminal
        self.output = output
        self.canceller = canceller
    }

    /// The methods that `call` and the editor bridge send on the control socket, which answers
    /// while the request socket waits. Every other method, `ping` too, goes on the request
    /// socket; `ballast stop` sends `shutdown` itself.
    public static let controlOnlyMethods: Set<String> = [Status.method, RunCancel.method]

    /// The methods that report `$/progress`, shown live on a terminal.
    static let progressMethods: Set<String> = [ModelTrain.method, ExperimentCompare.method, ExperimentSweep.method, ExperimentTune.method,
                                                DatasetLoad.method]

    // MARK: Connection

    /// Connects now rather than at the first command (the REPL does, to greet or fail at once).
    public func connect() throws(Failure) {
        _ = try connection()
    }

    func connection() throws(Failure) -> Client {
        if let client { return client }
        let info: ConnectionInfo
        do { info = try DaemonLauncher.connect(connectionFile: options.connectionFile, spawn: !options.noSpawn,
                                                 daemonArguments: options.daemonArguments) } catch {
            throw .unavailable(error.description)
        }
        do {
            let client = try Client(info, connectionFile: DaemonLauncher.resolvedPath(options.connectionFile))
            let welcome = try client.initialize(name: "ballast")
            grammar = Grammar(vocabulary: welcome.capabilities)
            self.client = client
            departed = nil
            return client
        } catch {
            throw classify(error)
        }
    }

    public func disconnect() {
        client?.close()
        client = nil
    }

    private func classify(_ error: ClientError) -> Failure {
        switch error {
        case .rpc(let e): return .daemon(e)
        case .timeout: return .timedOut(error.description)
        case .stopped: return .interrupted(error.description)
        case .badArgument(let why): return .usage(why)
        case .daemonGone(let gone):
            disconnect()
            departed = gone
            return .unavailable(gone.description + " " + nextStep(after: gone))
        default:
            disconnect()
            return .unavailable(error.description)
        }
    }

    /// What to do once the daemon is gone. At the REPL the next command starts a fresh daemon
    /// (unless --no-spawn): the failed command is not run again by itself, since it may not be
    /// one to repeat blindly (a training, a save).
    private func nextStep(after gone: DaemonGone) -> String {
        if options.interactive && !options.noSpawn {
            return "The next command starts a fresh daemon; what the old one held in memory is gone."
        }
        return gone.advice
    }

    /// Sends one request, which `canceller` can cancel meanwhile (Ctrl-C in the terminal). Long
    /// methods get a progress token and, on a terminal, a live display.
    func request(_ method: String, _ params: [String: JSONValue], control: Bool = false, progress: Bool = false) throws(Failure) -> JSONValue {
        let client = try connection()
        var params = params
        let view: ProgressView? = progress && terminal.isTTY && !options.json ? ProgressView(terminal: terminal, output: output) : nil
        let observer = progress ? onProgress : nil
        if (view != nil || observer != nil) && params["progress_token"] == nil {
            tokens += 1
            params["progress_token"] = .string("ballast-\(tokens)")
        }
        let outcome: Result<JSONValue, ClientError>
        var cancelledBeforeSent = false
        if control {
            do { outcome = .success(try client.control(method, params: .object(params))) } catch { outcome = .failure(error) }
        } else {
            let timeout = options.timeout
            outcome = canceller.running(.init(info: client.info, session: client.session, id: client.upcomingID)) {
                if canceller.takeArmed() {
                    cancelledBeforeSent = true
                    return .failure(.rpc(.cancelled()))
                }
                return Result { () throws(ClientError) -> JSONValue in
                    try client.call(method, params: .object(params), timeout: timeout,
                                    onNotification: { name, value in
                                        view?.handle(name, value)
                                        if name == "$/progress", let value = value["value"] { observer?(value) }
                                    },
                                    shouldStop: { canceller.stopWaiting })
                }
            }
        }
        view?.finish()
        // A cancel kept from between two requests: this one was never sent, so the daemon has
        // no partial result to give; the bridge's own "interrupted", as before a statement.
        if cancelledBeforeSent { throw .interrupted("The request '\(method)' was cancelled before it was sent.") }
        switch outcome {
        case .success(let value): return value
        case .failure(let error): throw classify(error)
        }
    }

    // MARK: Names, for completion

    func names(_ kind: NameKind) -> [String] {
        guard client != nil || DaemonLauncher.liveDaemon(at: options.connectionFile ?? ConnectionInfo.defaultPath) != nil else { return [] }
        switch kind {
        case .dataset:
            return ((try? request(DatasetList.method, [:]))?["datasets"]?.arrayValue ?? []).compactMap { $0["name"]?.stringValue }
        case .model:
            return ((try? request(ModelList.method, [:]))?["models"]?.arrayValue ?? []).compactMap { $0["name"]?.stringValue }
        case .run:
            var seen: Set<String> = []
            return (runIDs() + Array(modelRuns.values).sorted() + Array(modelRuns.keys).sorted()).filter { seen.insert($0).inserted }
        case .runMetric:
            return runMetricNames()
        case .runSortKey:
            return CommandTable.runSortColumns + runMetricNames()
        case .method:
            return grammar.vocabulary.methods + grammar.vocabulary.controlMethods.filter { !grammar.vocabulary.methods.contains($0) }
        default:
            return []
        }
    }

    // MARK: Commands

    /// Runs one parsed command. Returns false when the session should end (`exit`).
    public func execute(_ invocation: Invocation) throws(Failure) -> Bool {
        let spec = invocation.spec
        lastResult = nil
        switch spec.name {
        case "exit": return false
        case "help":
            emitText(grammar.help(invocation.words.isEmpty ? nil : invocation.words.joined(separator: " ")))
            return true
        case "echo":
            emitText(invocation.words.joined(separator: " "))
            return true
        case "call":
            try call(invocation.words)
            return true
        case "plot":
            try plot(invocation)
            return true
        case "vs-seed":
            try versusSeed()
            return true
        default:
            break
        }
        guard let method = spec.method else { return true }
        for note in invocation.notes {
            output.line(options.json ? JSONWriter.string(["note": .string(note)]) : "  note: \(note)")
        }
        // `runs next` sends the last listing's params; options of the client's own (`@metrics`)
        // shape the rendering and are not sent.
        var params = invocation.params
        if spec.name == "runs next" {
            guard let page = try nextRunPage() else { return true }
            params = page
        }
        let wireParams = params.filter { !$0.key.hasPrefix("@") }
        let result: JSONValue
        do {
            result = try request(method, wireParams, control: spec.control, progress: Self.progressMethods.contains(method))
        } catch .daemon(let error) where error.code == ErrorCode.requestCancelled {
            if let run = error.data?["run"]?.stringValue, let name = invocation.params["name"]?.stringValue { modelRuns[name] = run }
            throw .daemon(error)
        }
        remember(method, params, result)
        lastResult = result
        if options.json {
            output.line(JSONWriter.string(result))
        } else {
            output.line(Render.result(spec.name, result, params: params, terminal: terminal))
        }
        return true
    }

    private func remember(_ method: String, _ params: [String: JSONValue], _ result: JSONValue) {
        switch method {
        case ModelTrain.method:
            if let model = result["model"]?.stringValue, let run = result["run"]?.stringValue { modelRuns[model] = run }
        case ExperimentCompare.method: lastCompare = result
        case ExperimentSweep.method: lastSweep = result
        case RunList.method: runPages = RunPages(params: params, nextOffset: result["next_offset"]?.intValue.map(Int.init))
        default: break
        }
    }

    func emitText(_ text: String) {
        if options.json { output.line(JSONWriter.string(["text": .string(text)])) } else { output.line(text) }
    }

    private func call(_ words: [String]) throws(Failure) {
        guard let method = words.first else { throw .usage("Usage: call METHOD [JSON-OBJECT]") }
        guard words.count <= 2 else { throw .usage("call takes a method and one JSON object; quote the object or write it without gaps.") }
        var params: [String: JSONValue] = [:]
        if words.count == 2 {
            let parsed: JSONValue
            do { parsed = try JSONParser.parse(words[1]) } catch { throw .usage("The params are not valid JSON: \(error).") }
            guard case .object(let members) = parsed else { throw .usage("The params must be a JSON object, like {\"dataset\": \"cards\"}.") }
            params = members
        }
        let control = Self.controlOnlyMethods.contains(method)
        let progress = Self.progressMethods.contains(method) && params["progress_token"] == nil
        let result = try request(method, params, control: control, progress: progress)
        remember(method, params, result)
        lastResult = result
        output.line(JSONWriter.string(result, pretty: !options.json))
    }
}
