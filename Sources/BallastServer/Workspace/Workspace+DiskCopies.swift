import BallastML
import BallastProtocol

extension Workspace {
    /// Refuses, before a row is read, work that would copy a disk dataset's rows into memory past
    /// the budget. A disk dataset holds only its classes against the budget, so a split, folds, a
    /// standardised or resampled copy of it is new memory of the whole file's size; asked first,
    /// the daemon answers -32011 where it would otherwise be killed for running out of memory.
    /// In-memory datasets are not asked here: their copies are held (and refused) when stored.
    ///
    /// - Parameters:
    ///   - rows: rows copied in all (a split copies every row once, five folds five times over).
    ///   - field: where the refusal points (the dataset's field in the request).
    func checkRoomToCopy(_ dataset: Dataset, rows: Int, doing: String, field: String = "dataset") throws(RPCError) {
        guard dataset.features.isBacked else { return }
        let rowBytes = MemoryBudget.sum([MemoryBudget.product(dataset.featureCount, MemoryLayout<Float>.stride),
                                         MemoryLayout<Int32>.stride])
        do {
            try budget.checkRoom(MemoryBudget.product(rows, rowBytes),
                                 doing: "\(doing) copies \(rows) rows of a disk dataset into memory, which")
        } catch let refusal as RPCError {
            throw refusal.adding(["field": .string(field), "storage": "disk"])
        }
    }
}
