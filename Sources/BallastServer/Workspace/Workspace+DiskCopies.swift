import BallastML
import BallastProtocol

extension Workspace {
    /// Refuses, before a row is read, work that would copy a disk dataset's rows into memory past
    /// the budget. A disk dataset (or a view of one) holds only its classes (and row map) against
    /// the budget, so a standardised copy, SMOTE's rows or anything else that writes new values is
    /// new memory of the whole selection's size; asked first, the daemon answers -32011 where it
    /// would otherwise be killed for running out of memory. Picking rows (split, folds, over- and
    /// under-sampling) makes row-index views instead: see `checkRoomForViews`.
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

    /// Refuses, before anything is made, row selections of a disk dataset whose row-index views
    /// (`Dataset.selecting(rows:)`: the base's row file read through a row map) would not fit:
    /// each selected row holds its map entry (4 bytes, 8 past 2³² base rows), its class and its id
    /// in memory, never its features. In-memory datasets are not asked here, as for copies.
    ///
    /// - Parameters:
    ///   - rows: rows selected in all (a split selects every row once, five folds ten times over:
    ///     each row is in one held-out part and four training parts).
    func checkRoomForViews(_ dataset: Dataset, rows: Int, doing: String, field: String = "dataset") throws(RPCError) {
        guard dataset.features.isBacked else { return }
        // An id a row, at the dataset's mean id size (rounded up).
        let idBytes = dataset.ids.map { ids in ids.isEmpty ? 0 : Dataset.idBytes(ids) / ids.count + 1 } ?? 0
        let rowBytes = MemoryBudget.sum([dataset.rowCount <= Int(UInt32.max) ? MemoryLayout<UInt32>.stride : MemoryLayout<Int>.stride,
                                         MemoryLayout<Int32>.stride, idBytes])
        do {
            try budget.checkRoom(MemoryBudget.product(rows, rowBytes),
                                 doing: "\(doing) holds a row map, the classes and ids of \(rows) rows of a disk dataset, which")
        } catch let refusal as RPCError {
            throw refusal.adding(["field": .string(field), "storage": "disk"])
        }
    }

    /// Room for a resampling of `dataset` into `rows` rows: SMOTE makes new rows (a copy, weighed
    /// by `checkRoomToCopy`), over- and under-sampling pick rows (views, `checkRoomForViews`).
    func checkRoomToResample(_ dataset: Dataset, smote: Bool, rows: Int, doing: String, field: String = "dataset") throws(RPCError) {
        if smote {
            try checkRoomToCopy(dataset, rows: rows, doing: doing, field: field)
        } else {
            try checkRoomForViews(dataset, rows: rows, doing: doing, field: field)
        }
    }
}
