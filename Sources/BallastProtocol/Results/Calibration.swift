/// Brier score and log loss before and after prior correction (the shift class weights put into
/// probabilities, undone): `model/train`'s `calibration` for weighted losses.
public struct Calibration: Codable, Sendable, Equatable {
    public var brierBefore: Double
    public var brierAfter: Double
    public var logLossBefore: Double
    public var logLossAfter: Double

    public init(brierBefore: Double, brierAfter: Double, logLossBefore: Double, logLossAfter: Double) {
        self.brierBefore = brierBefore
        self.brierAfter = brierAfter
        self.logLossBefore = logLossBefore
        self.logLossAfter = logLossAfter
    }

    enum CodingKeys: String, CodingKey {
        case brierBefore = "brier_before"
        case brierAfter = "brier_after"
        case logLossBefore = "log_loss_before"
        case logLossAfter = "log_loss_after"
    }
}
