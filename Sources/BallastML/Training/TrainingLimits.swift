/// Upper bounds on counts that cost time rather than memory. A request past them is almost
/// always a typo (`epochs=1e9`), and would otherwise hold a worker for days while its run
/// record grows by a few reports a second; refusing it at once is kinder than a job nobody can
/// wait for. Sizes that cost memory are checked against the memory budget instead.
public enum TrainingLimits {
    /// Adam's and SGD's passes over the data.
    public static let maxEpochs = 1_000_000
    /// L-BFGS iterations.
    public static let maxIterations = 1_000_000
    /// Values in one `experiment/sweep` grid.
    public static let maxGridValues = 1_000
}
