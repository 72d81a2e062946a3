/// `initialize`: the first request of every client. Until it is answered, other requests on the
/// request socket get -32002.
public enum Initialize: RequestMethod {
    public static let method = "initialize"

    public struct Params: Codable, Sendable, Equatable, KnownFields {
        public static let fieldNames = ["client", "protocol_version"]
        public var client: Peer?
        /// The protocol version the client speaks; a different major version is refused.
        public var protocolVersion: String?

        public init(client: Peer? = nil, protocolVersion: String? = nil) {
            self.client = client
            self.protocolVersion = protocolVersion
        }

        enum CodingKeys: String, CodingKey {
            case client
            case protocolVersion = "protocol_version"
        }

        /// Refuses a client that speaks another major version of the protocol.
        public func checkCompatible() throws(RPCError) {
            guard let version = protocolVersion else { return }
            let parts = version.split(separator: ".", omittingEmptySubsequences: false)
            guard parts.count == 2, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }) else {
                throw RPCError.invalidParams("protocol_version must be MAJOR.MINOR, like \"\(ProtocolVersion.current)\", not \"\(version)\".",
                                             field: "protocol_version")
            }
            guard parts[0] != "\(ProtocolVersion.major)" else { return }
            throw RPCError(code: ErrorCode.invalidParams,
                           message: "This daemon speaks protocol \(ProtocolVersion.current); version \(version) has a different major version.",
                           data: ["field": "protocol_version", "supported": .string(ProtocolVersion.current)])
        }
    }

    public struct Peer: Codable, Sendable, Equatable {
        public var name: String
        public var version: String?
        public init(name: String, version: String? = nil) {
            self.name = name
            self.version = version
        }
    }

    public struct Result: Codable, Sendable, Equatable {
        public var server: Peer
        public var protocolVersion: String
        /// Names this client's connection; `$/cancelRequest` on the control socket takes it.
        public var session: String
        public var capabilities: Capabilities
        /// Since 1.6: the largest frame the request socket takes (`--max-message-bytes`, per
        /// frame). libzmq drops a larger one by disconnecting its sender, without a word, so a
        /// client refuses to send one; nil from a daemon before 1.6.
        public var maxMessageBytes: Int64?

        public init(server: Peer, protocolVersion: String, session: String, capabilities: Capabilities,
                    maxMessageBytes: Int64? = nil) {
            self.server = server
            self.protocolVersion = protocolVersion
            self.session = session
            self.capabilities = capabilities
            self.maxMessageBytes = maxMessageBytes
        }

        enum CodingKeys: String, CodingKey {
            case server, session, capabilities
            case protocolVersion = "protocol_version"
            case maxMessageBytes = "max_message_bytes"
        }
    }

    /// Everything the daemon knows how to do, so clients can complete names and check support.
    /// Each vocabulary list is the matching `WireName` enum's `names`, never a list of its own.
    public struct Capabilities: Codable, Sendable, Equatable {
        public var methods: [String]
        public var controlMethods: [String]
        public var notifications: [String]
        public var models: [String]
        public var losses: [String]
        public var weightSchemes: [String]
        public var optimizers: [String]
        public var presets: [String]
        public var metrics: [String]
        public var arms: [String]
        public var sweepParams: [String]
        public var resampleMethods: [String]
        public var reductions: [String]
        public var missingPolicies: [String]
        public var headerModes: [String]
        public var delimiters: [String]
        public var badLinePolicies: [String]
        public var encodings: [String]
        public var decimals: [String]
        /// The words `threshold` takes besides a number.
        public var thresholds: [String]
        public var unseenLevels: [String]
        /// Since 1.5: the statuses `run/list` filters by, and its sort orders.
        public var runStatuses: [String]
        public var sortOrders: [String]
        /// Since 1.8: `experiment/tune`'s objectives, calibrations, estimate methods and default
        /// candidate names (with the default grids).
        public var objectives: [String]
        public var calibrations: [String]
        public var estimates: [String]
        public var candidates: [String]
        /// Since 1.9: where `model/train` can fit: always `local`, and `spark` when the daemon
        /// found its Spark sidecar.
        public var engines: [String]

        /// The daemon's methods and notifications, with every vocabulary list from `Vocabulary/`;
        /// `engines` are those this daemon can use (default: every `EngineName`).
        public init(methods: [String], controlMethods: [String], notifications: [String],
                    engines: [String] = EngineName.names) {
            self.engines = engines
            self.methods = methods
            self.controlMethods = controlMethods
            self.notifications = notifications
            models = ModelName.names
            losses = LossName.names
            weightSchemes = WeightSchemeName.names
            optimizers = OptimizerName.names
            presets = PresetName.names
            metrics = MetricName.names
            arms = ArmName.names
            sweepParams = SweepParamName.names
            resampleMethods = ResampleMethodName.names
            reductions = ReductionName.names
            missingPolicies = MissingPolicyName.names
            headerModes = HeaderModeName.names
            delimiters = DelimiterName.names
            badLinePolicies = OnBadLinesName.names
            encodings = EncodingName.names
            decimals = DecimalName.names
            thresholds = Threshold.names
            unseenLevels = UnseenLevelsName.names
            runStatuses = RunStatusName.names
            sortOrders = SortOrderName.names
            objectives = ObjectiveName.names
            calibrations = CalibrationName.names
            estimates = EstimateName.names
            candidates = CandidateName.names
        }

        /// A daemon of an older minor version advertises fewer lists: those it leaves out are
        /// this client's own, which the older daemon accepts where it knows them at all.
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            methods = try c.decode([String].self, forKey: .methods)
            controlMethods = try c.decode([String].self, forKey: .controlMethods)
            notifications = try c.decode([String].self, forKey: .notifications)
            func list(_ key: CodingKeys, _ known: [String]) throws -> [String] {
                try c.decodeIfPresent([String].self, forKey: key) ?? known
            }
            models = try list(.models, ModelName.names)
            losses = try list(.losses, LossName.names)
            weightSchemes = try list(.weightSchemes, WeightSchemeName.names)
            optimizers = try list(.optimizers, OptimizerName.names)
            presets = try list(.presets, PresetName.names)
            metrics = try list(.metrics, MetricName.names)
            arms = try list(.arms, ArmName.names)
            sweepParams = try list(.sweepParams, SweepParamName.names)
            resampleMethods = try list(.resampleMethods, ResampleMethodName.names)
            reductions = try list(.reductions, ReductionName.names)
            missingPolicies = try list(.missingPolicies, MissingPolicyName.names)
            headerModes = try list(.headerModes, HeaderModeName.names)
            delimiters = try list(.delimiters, DelimiterName.names)
            badLinePolicies = try list(.badLinePolicies, OnBadLinesName.names)
            encodings = try list(.encodings, EncodingName.names)
            decimals = try list(.decimals, DecimalName.names)
            thresholds = try list(.thresholds, Threshold.names)
            unseenLevels = try list(.unseenLevels, UnseenLevelsName.names)
            runStatuses = try list(.runStatuses, RunStatusName.names)
            sortOrders = try list(.sortOrders, SortOrderName.names)
            objectives = try list(.objectives, ObjectiveName.names)
            calibrations = try list(.calibrations, CalibrationName.names)
            estimates = try list(.estimates, EstimateName.names)
            candidates = try list(.candidates, CandidateName.names)
            // A daemon before 1.9 fits locally only.
            engines = try list(.engines, [EngineName.local.rawValue])
        }

        enum CodingKeys: String, CodingKey {
            case methods, notifications, models, losses, optimizers, presets, metrics, arms, reductions, delimiters
            case controlMethods = "control_methods"
            case weightSchemes = "weight_schemes"
            case sweepParams = "sweep_params"
            case resampleMethods = "resample_methods"
            case missingPolicies = "missing_policies"
            case headerModes = "header_modes"
            case unseenLevels = "unseen_levels"
            case runStatuses = "run_statuses"
            case sortOrders = "sort_orders"
            case thresholds, encodings, decimals, objectives, calibrations, estimates, candidates, engines
            case badLinePolicies = "bad_line_policies"
        }
    }
}
