/// Threshold search and decision rules for a `TuneObjective`.
public enum ObjectiveSearch {
    /// Best threshold on P(positive) for the objective (ties → larger); 0.5 with no positive.
    public static func bestThreshold(_ objective: TuneObjective, classIndex: [Int32], positiveProbability: [Float],
                                     positiveClass: Int) -> Double {
        0.5
    }

    /// The objective's value at a threshold.
    public static func value(_ objective: TuneObjective, classIndex: [Int32], positiveProbability: [Float],
                             positiveClass: Int, threshold: Double) -> Double {
        0
    }

    /// Multiclass: value with argmax, or the Bayes rule when the objective is a cost matrix.
    public static func value(_ objective: TuneObjective, classIndex: [Int32], probabilities: [Float], classCount: Int) -> Double {
        0
    }

    /// Predicted classes under the objective's decision rule (argmax / Bayes), K classes.
    public static func decisions(_ objective: TuneObjective, probabilities: [Float], classCount: Int) -> [Int32] {
        []
    }
}
