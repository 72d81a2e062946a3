/// One bin of a reliability curve.
public struct ReliabilityBin: Sendable, Equatable {
    public var meanPredicted: Double
    public var fractionPositive: Double
    public var count: Int

    public init(meanPredicted: Double, fractionPositive: Double, count: Int) {
        self.meanPredicted = meanPredicted
        self.fractionPositive = fractionPositive
        self.count = count
    }
}

public enum Reliability {
    /// 10 uniform bins on P(positive) (binary) or on the top-class confidence (multiclass:
    /// fraction = accuracy), empty bins left out: sklearn's calibration_curve(strategy="uniform").
    public static func curve(classIndex: [Int32], probabilities: [Float], classCount: Int, positiveClass: Int?, bins: Int = 10) -> [ReliabilityBin] {
        []
    }
}
