/// Which columns of a file are features, which is the label, which the id, and which are
/// ignored (`CSVOptions.keepColumns`, `ignoreColumns`, `idColumn`).
extension Reader {
    /// What each column is: the label, the id (kept as text), ignored, or a feature with its slot
    /// (-1 for the others). Columns are named by header name or 0-based index.
    /// Header names are quoted in messages only as `quoting` allows.
    func roles(columns: Int, labelColumn: Int, names: [String]?,
               quoting: CSVQuoting) throws(DataError) -> (idColumn: Int?, slots: [Int]) {
        func resolve(_ ref: CSVOptions.ColumnRef, _ purpose: String) throws(DataError) -> Int {
            switch ref {
            case .index(let i):
                guard i >= 0 && i < columns else {
                    throw fail(.invalidOption, "The column index \(i) \(purpose) is out of range: \(path) has \(columns) column\(columns == 1 ? "" : "s") (indices 0 to \(columns - 1)).")
                }
                return i
            case .name(let name):
                guard let names else {
                    throw fail(.invalidOption, "The column '\(name)' \(purpose) cannot be found because \(path) has no header; name it by index.")
                }
                guard let i = names.firstIndex(of: name) else {
                    var error = fail(.invalidOption, "There is no column named '\(name)' \(purpose); \(quoting.header(names)).")
                    error.field = name
                    throw error
                }
                return i
            }
        }
        func describe(_ i: Int) -> String { names.flatMap { quoting.quote($0[i]) }.map { "'\($0)'" } ?? "column \(i)" }
        var isFeature = [Bool](repeating: true, count: columns)
        isFeature[labelColumn] = false
        var idColumn: Int?
        if let ref = options.idColumn {
            let i = try resolve(ref, "for the ids")
            guard i != labelColumn else { throw fail(.invalidOption, "The id column cannot be the label column (\(describe(i))).") }
            idColumn = i
            isFeature[i] = false
        }
        for ref in options.ignoreColumns {
            let i = try resolve(ref, "to ignore")
            guard i != labelColumn && i != idColumn else {
                throw fail(.invalidOption, "\(describe(i).capitalizedFirst) is the \(i == labelColumn ? "label" : "id") column and cannot be ignored.")
            }
            isFeature[i] = false
        }
        if let keep = options.keepColumns {
            var kept = Set<Int>()
            for ref in keep {
                let i = try resolve(ref, "to keep")
                if i != labelColumn && i != idColumn && !isFeature[i] {
                    throw fail(.invalidOption, "\(describe(i).capitalizedFirst) is both kept and ignored.")
                }
                kept.insert(i)
            }
            for i in 0..<columns where !kept.contains(i) { isFeature[i] = false }
        }
        guard isFeature.contains(true) else {
            throw fail(.invalidOption, "No feature column is left in \(path) once the label, id and ignored columns are set aside.")
        }
        var slot = 0
        let slots = isFeature.map { feature -> Int in
            guard feature else { return -1 }
            defer { slot += 1 }
            return slot
        }
        return (idColumn, slots)
    }
}
