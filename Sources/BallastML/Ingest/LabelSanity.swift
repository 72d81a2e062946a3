/// Refusing a label column that is not a set of classes: too many distinct values, or values that
/// look like a continuous measurement. Either way the wrong column was most likely taken as the
/// label (the last one, by default), and training on it would be meaningless.
extension Reader {
    /// Fewest distinct labels that can be judged continuous: a handful of fractional classes
    /// (`0.5`, `1.5`) is a legitimate, if odd, encoding.
    static let continuousMinimumDistinct = 20
    /// How many values the message shows (each cut as `CSVQuoting.clip` cuts what is quoted).
    static let shownValues = 5

    func checkLabelsAreClasses(_ labels: Set<String>, rows: Int, layout: Layout, name: String) throws(DataError) {
        let column = layout.labelColumn
        // Label values and the column's name are the file's text: quoted only as `CSVQuoting` allows.
        let quoting = layout.quoting
        let described = quoting.recognised ? "Column \(column + 1) ('\(CSVQuoting.clip(name))')" : "Column \(column + 1)"
        func examples(_ labels: Set<String>) -> String { quoting.recognised ? Self.examples(labels) : "not shown" }
        if labels.count > options.maxClasses {
            throw labelError(.tooManyClasses,
                             "\(described), taken as the label, has \(labels.count) distinct values (\(examples(labels))), more than the \(options.maxClasses) classes allowed; it does not look like a class label.",
                             column: column, name: name, quoting: quoting)
        }
        guard labels.count >= Self.continuousMinimumDistinct else { return }
        var fractional = 0
        for label in labels {
            let (value, status) = FloatParser.parse(Array(label.utf8))
            guard status == .ok else { return }
            if value.rounded() != value { fractional += 1 }
        }
        // Numbers, most of them distinct per row or most of them fractional: a measurement.
        if fractional * 2 > labels.count || labels.count * 2 > rows {
            throw labelError(.continuousLabel,
                             "\(described), taken as the label, looks like a continuous number, not a class: \(labels.count) distinct values in \(rows) rows (\(examples(labels))).",
                             column: column, name: name, quoting: quoting)
        }
    }

    func labelError(_ kind: DataError.Kind, _ message: String, column: Int, name: String, quoting: CSVQuoting) -> DataError {
        DataError(kind: kind, message: message, path: path, column: column + 1, field: quoting.recognised ? name : nil)
    }

    /// A few values, sorted so the message is the same on every run: "e.g. 0.1, 0.25, 0.3, …".
    static func examples(_ labels: Set<String>) -> String {
        let shown = labels.sorted().prefix(shownValues).map(CSVQuoting.clip)
        return "e.g. " + shown.joined(separator: ", ") + (labels.count > shownValues ? ", …" : "")
    }
}
