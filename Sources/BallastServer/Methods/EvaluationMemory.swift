import BallastProtocol
import Foundation

extension Handlers {
    /// Holds, for one `model/evaluate`, what it keeps in memory besides the dataset: the rows'
    /// probabilities and their prior-corrected copy (4 bytes a class a row each), the positive
    /// column (4 bytes a row) and, with curves, two rankings of it with their full curves before
    /// they are thinned to 200 points (at most 28 bytes a row each). Refused with -32011 at
    /// `dataset` when that does not fit, so evaluating a disk dataset of many millions of rows is
    /// a clear refusal (with the way out) rather than a daemon killed for its memory. Returns the
    /// release, to call once the metrics are made.
    func holdEvaluationMemory(rows: Int, classes: Int, curves: Bool, dataset: String) throws(RPCError) -> @Sendable () -> Void {
        let probabilities = MemoryBudget.product(MemoryBudget.product(rows, classes), 8)
        let rankings = curves ? MemoryBudget.product(rows, 2 * 28) : 0
        let bytes = MemoryBudget.sum([probabilities, MemoryBudget.product(rows, 4), rankings])
        let holder = MemoryBudget.Holder.training(UUID().uuidString)
        let budget = workspace.budget
        do {
            _ = try budget.hold([holder: bytes], doing: "Evaluating on the \(rows) rows of '\(dataset)' (their probabilities\(curves ? ", and the PR and ROC curves" : ""))")
        } catch {
            let hint = curves ? " Without the curves (curves: false) it needs \(Workspace.megabytes(bytes - rankings))." : ""
            var data = error.data?.objectValue ?? [:]
            data["field"] = "dataset"
            throw RPCError(code: error.code, message: error.message + hint, data: .object(data))
        }
        return { budget.release(holder) }
    }
}
