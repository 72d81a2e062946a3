/// One progress record. A run's records (`run/event` on `run.<id>`, `run/events`) carry `run` and
/// an increasing `seq`; the same record is the `value` of `$/progress` for the request that asked.
/// A request that reports progress without being a run (`dataset/load`) sends records without
/// `run` and `seq`.
///
/// `kind` is `begin`, then any number of `report`, then exactly one `end`. The other fields are
/// those that apply (protocol/README.md, per method): absent ones are left out of the JSON.
public struct RunEvent: Codable, Sendable, Equatable {
    public var run: String?
    public var seq: Int?
    public var kind: WorkProgress.Kind
    /// `begin`: what is being done, for a person.
    public var title: String?
    /// The steps, arms or fits the job will run.
    public var total: Int?
    public var step: Int?
    /// J on the training data at this step.
    public var loss: Double?
    public var elapsedSeconds: Double?
    public var percentage: Double?
    /// Training: the validation figures at this step, when a validation set was given.
    public var validation: ProgressMetrics?
    /// `end`: why the job ended.
    public var stopReason: StopReasonName?
    public var steps: Int?
    public var objective: Double?
    public var message: String?
    /// `experiment/compare`: the arm being trained, its 1-based index, and at the end how many ran.
    public var arm: ArmName?
    public var index: Int?
    public var arms: Int?
    /// `experiment/sweep`: fits done, the value being fitted, and at the end the best value.
    public var fit: Int?
    public var value: Double?
    public var best: Double?
    /// `experiment/tune`: the candidate just fitted and the stage (`selection`,
    /// `estimate, outer fold 2 of 3`, `final`), and at the end the winner.
    public var candidate: String?
    public var stage: String?
    public var winner: String?

    public init(kind: WorkProgress.Kind, title: String? = nil, total: Int? = nil, step: Int? = nil, loss: Double? = nil,
                elapsedSeconds: Double? = nil, percentage: Double? = nil, validation: ProgressMetrics? = nil,
                stopReason: StopReasonName? = nil, steps: Int? = nil, objective: Double? = nil, message: String? = nil,
                arm: ArmName? = nil, index: Int? = nil, arms: Int? = nil, fit: Int? = nil, value: Double? = nil,
                best: Double? = nil, candidate: String? = nil, stage: String? = nil, winner: String? = nil) {
        self.kind = kind
        self.title = title
        self.total = total
        self.step = step
        self.loss = loss
        self.elapsedSeconds = elapsedSeconds
        self.percentage = percentage
        self.validation = validation
        self.stopReason = stopReason
        self.steps = steps
        self.objective = objective
        self.message = message
        self.arm = arm
        self.index = index
        self.arms = arms
        self.fit = fit
        self.value = value
        self.best = best
        self.candidate = candidate
        self.stage = stage
        self.winner = winner
    }

    enum CodingKeys: String, CodingKey {
        case run, seq, kind, title, total, step, loss, percentage, validation, steps, objective, message
        case arm, index, arms, fit, value, best, candidate, stage, winner
        case elapsedSeconds = "elapsed_s"
        case stopReason = "stop_reason"
    }
}
