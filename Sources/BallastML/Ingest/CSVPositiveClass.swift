/// The checks a loaded file's classes must pass, and its positive class: the same for a file
/// parsed whole (`CSVAssembly`) and one streamed window by window (`CSVStreamState`).
extension Layout {
    /// Refuses a file with a single class (when labels must be classes), and a `positive` that is
    /// not among the labels or is given for multiclass data; returns the positive class: the one
    /// asked for, else for binary data the rarer (the second on a tie), else nil.
    ///
    /// - Parameters:
    ///   - labels: the classes present, in their final order; `counts` the rows of each.
    ///   - names: the file's column names (for the label column's name in messages).
    func positiveClass(labels: [String], counts: [Int], names: [String], options: CSVOptions,
                       path: String) throws(DataError) -> Int? {
        if labels.count < 2 && options.labelsMustBeClasses {
            let labelName = names[labelColumn]
            let which = quoting.recognised
                ? "the label '\(CSVQuoting.clip(labels.first ?? ""))' in column '\(CSVQuoting.clip(labelName))'"
                : "the same label in column \(labelColumn + 1)"
            var error = DataError(kind: .singleClass, message: "Every row of \(path) has \(which); classification needs at least two classes.",
                                  path: path)
            error.field = quoting.recognised ? labelName : nil
            error.column = labelColumn + 1
            throw error
        }
        if let wanted = options.positive {
            guard let index = labels.firstIndex(of: wanted) else {
                let shown = quoting.recognised
                    ? ": " + labels.prefix(20).map(CSVQuoting.clip).joined(separator: ", ") + (labels.count > 20 ? ", …" : "")
                    : " (\(labels.count) of them; not shown: the file does not look like CSV data)"
                throw DataError(kind: .unknownPositive, message: "The positive class '\(wanted)' is not among the labels present\(shown).",
                                path: path)
            }
            if labels.count != 2 {
                throw DataError(kind: .invalidOption,
                                message: "A positive class only applies to binary data, but \(path) has \(labels.count) classes.", path: path)
            }
            return index
        }
        return labels.count == 2 ? (counts[0] < counts[1] ? 0 : 1) : nil
    }
}
