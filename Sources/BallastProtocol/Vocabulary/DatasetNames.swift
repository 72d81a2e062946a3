/// `preset` of `dataset/generate`.
public enum PresetName: String, WireName {
    case fraud
    case mildImbalance = "mild_imbalance"
    case balanced, multiclass
    public static let kind = "preset"
}

/// `method` of `dataset/resample`.
public enum ResampleMethodName: String, WireName {
    case over, under, smote
    public static let kind = "resampling method"
    public static let kinds = "methods"
}

/// `missing` of `dataset/load`: what to do with an empty or NA cell.
public enum MissingPolicyName: String, WireName {
    case error
    case dropRows = "drop_rows"
    case imputeMean = "impute_mean"
    public static let kind = "missing-value policy"
    public static let kinds = "missing-value policies"
}

/// `header` of `dataset/load`.
public enum HeaderModeName: String, WireName {
    case auto, present, absent
    public static let kind = "header mode"
}

/// `delimiter` of `dataset/load`: detected (`auto`) or one of four characters. A literal tab
/// character is accepted as `tab` too.
public enum DelimiterName: String, WireName {
    case auto
    case comma = ","
    case semicolon = ";"
    case pipe = "|"
    case tab
    public static let kind = "delimiter"

    /// The byte that separates fields; nil for `auto`.
    public var byte: UInt8? {
        switch self {
        case .auto: nil
        case .tab: UInt8(ascii: "\t")
        case .comma, .semicolon, .pipe: rawValue.utf8.first
        }
    }
}

/// `unseen_levels`: what to do with a level of a text column that the data must match but never
/// saw (`AT` where training saw `DE`, `FR`, `NL`): refuse, or encode those rows as zeros in that
/// column's features and say how many.
public enum UnseenLevelsName: String, WireName {
    case error, zeros
    public static let kind = "unseen-level policy"
    public static let kinds = "unseen-level policies"
}

/// `on_bad_lines` of `dataset/load`: what to do with a record whose field count is wrong.
public enum OnBadLinesName: String, WireName {
    case error, skip
    public static let kind = "bad-line policy"
    public static let kinds = "bad-line policies"
}

/// `encoding` of `dataset/load`: how the file's text bytes become characters.
public enum EncodingName: String, WireName {
    case auto
    case utf8 = "utf-8"
    case latin1 = "latin-1"
    case cp1252
    public static let kind = "encoding"
}

/// `decimal` of `dataset/load`: the decimal separator of numbers.
public enum DecimalName: String, WireName {
    case auto
    case point = "."
    case comma = ","
    public static let kind = "decimal separator"
}

/// `origin` in `dataset/describe`: how a dataset was made.
public enum DatasetOriginName: String, WireName {
    case generated, loaded, split, fold, standardized, resampled
    public static let kind = "dataset origin"
}

/// `data.kind` of an error about a data file (-32001, -32010, -32602 from `dataset/load`).
public enum DataErrorKindName: String, WireName {
    case fileNotFound = "file_not_found"
    case permissionDenied = "permission_denied"
    case isDirectory = "is_directory"
    case empty
    case headerOnly = "header_only"
    case raggedRow = "ragged_row"
    case notNumeric = "not_numeric"
    case missingValue = "missing_value"
    case nonFinite = "non_finite"
    case singleClass = "single_class"
    case labelColumnMissing = "label_column_missing"
    case lineTooLong = "line_too_long"
    case binary
    case tooManyLevels = "too_many_levels"
    case unknownPositive = "unknown_positive"
    case invalidOption = "invalid_option"
    case invalidEncoding = "invalid_encoding"
    case tooManyClasses = "too_many_classes"
    case continuousLabel = "continuous_label"
    case duplicateColumn = "duplicate_column"
    case notARegularFile = "not_a_regular_file"
    public static let kind = "data error kind"
}

/// `reason` of an entry of `dataset/list`'s `unavailable`: why a dataset an earlier daemon held
/// did not come back at this start.
public enum DatasetUnavailableName: String, WireName {
    /// Made with `keep: false`, or while the daemon ran with `--no-keep-datasets`.
    case notKept = "not_kept"
    /// Its column file was removed by the size policy (`--state-max-bytes`), least recently used first.
    case evicted
    /// Its column file is not in `<state dir>/datasets/`.
    case missing
    /// Its column file is truncated, or no longer gives its fingerprint.
    case damaged
    /// Its column file could not be opened or mapped (permissions, I/O).
    case unreadable
    /// It no longer fits in the memory budget (`--memory-budget`) beside what came back before it.
    case overBudget = "over_budget"
    public static let kind = "unavailability reason"
}
