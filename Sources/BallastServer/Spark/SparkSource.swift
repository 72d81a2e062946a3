import BallastML
import BallastProtocol
import Foundation

/// The file Spark reads for a dataset: `source` when given, else the CSV the dataset was loaded
/// from, read as its `dataset/load` read it (delimiter, header, label column). Refuses, at the
/// field a person would change, what Spark would read differently from the daemon.
struct SparkSource: Sendable, Equatable {
    var path: String
    var format: SourceFormatName
    var delimiter: String
    var label: String
    /// CSV: whether its first line names the columns. A file loaded without one (Ballast named
    /// its columns `x1…xN` around `label`) is read with `columns`, those names in file order.
    var header = true
    var columns: [String]?

    static let noFileHint = "Spark reads files: give source (a CSV or Parquet file with the dataset's columns and label)"

    init(_ source: TrainingSource?, dataset name: String, entry: Workspace.Entry) throws(RPCError) {
        let load = entry.provenance?["method"]?.stringValue == DatasetLoad.method ? entry.provenance?["params"] : nil
        if let source {
            // A URL (hdfs://, s3a://, file://) is the cluster's to resolve; a local path is made absolute.
            path = source.path.contains("://") ? source.path : Handlers.absolutePath(source.path)
            format = source.format ?? (path.lowercased().hasSuffix(".parquet") ? .parquet : .csv)
            guard FileManager.default.fileExists(atPath: path) || path.contains("://") else {
                throw RPCError(code: ErrorCode.notFound, message: "There is no file at \(path) for Spark to read.",
                               data: ["field": "source.path", "path": .string(path)])
            }
            // Its first line is read here: a FIFO or a device would block the request.
            if !path.contains("://"), format == .csv,
               (try? FileManager.default.attributesOfItem(atPath: path)[.type] as? FileAttributeType) != .typeRegular {
                throw RPCError.invalidParams("\(path) is not a regular file (a folder, pipe or device); Spark's CSV source must be a file.",
                                             field: "source.path")
            }
        } else {
            guard let load, let loadedFrom = load["path"]?.stringValue else {
                let how = entry.provenance?["method"]?.stringValue.map { "made by \($0)" } ?? "not loaded from a file"
                throw RPCError.invalidParams("The dataset '\(name)' was \(how), so there is no file it came from. \(Self.noFileHint).",
                                             field: "source")
            }
            try Self.checkReadAlike(load, dataset: name)
            if let stamp = entry.loadedFile, FileStamp(path: loadedFrom) != stamp {
                throw RPCError.invalidParams("\(loadedFrom) changed since the dataset '\(name)' was loaded from it (its size or modification time differs), so Spark would fit other data than the dataset holds; load it again first.",
                                             field: "engine")
            }
            path = loadedFrom
            format = .csv
        }
        let firstLine = format == .csv ? Self.headerFields(path) : nil
        let delimiter = Self.delimiter(load?["delimiter"]?.stringValue, header: firstLine)
        self.delimiter = delimiter
        let fields = firstLine.map { Self.split($0, by: delimiter) }
        if let fields, let columns = Self.headerlessColumns(fields, features: entry.dataset.featureNames,
                                                             hasIDs: entry.dataset.ids != nil, label: load?["label"]) {
            header = false
            self.columns = columns
            label = "label"
            return
        }
        if load?["header"]?.stringValue == HeaderModeName.absent.rawValue {
            throw RPCError.invalidParams("The dataset '\(name)' was loaded with header=absent, and Spark could not tell its columns apart (an id column, or another count of fields); give source a file with a header line.",
                                         field: "engine")
        }
        label = try Self.labelName(load?["label"], header: fields)
    }

    /// The names Ballast gave a CSV's columns when the file had no header line: its features are
    /// `x1…xN` (none of them on the first line), no id column, and the first line holds N + 1
    /// fields; the label sits at the load's `label` index, else last. Nil for any other file.
    static func headerlessColumns(_ firstLine: [String], features: [String], hasIDs: Bool, label: JSONValue?) -> [String]? {
        let generated = (1...max(1, features.count)).map { "x\($0)" }
        guard !hasIDs, !features.isEmpty, features == generated, firstLine.count == features.count + 1,
              !features.contains(where: firstLine.contains) else { return nil }
        if let name = label?.stringValue, name != "label" { return nil }
        let labelAt = label?.intValue.map { Int($0) } ?? features.count
        guard (0...features.count).contains(labelAt) else { return nil }
        var names = features
        names.insert("label", at: labelAt)
        return names
    }

    /// A loaded dataset Spark would read other rows or values from than the daemon did.
    static func checkReadAlike(_ load: JSONValue, dataset name: String) throws(RPCError) {
        func refuse(_ what: String) throws(RPCError) {
            throw RPCError.invalidParams("The dataset '\(name)' was loaded with \(what); Spark reads the file's rows as they are, so its fit would see other data. Load it without that, or give source.",
                                         field: "engine")
        }
        if let missing = load["missing"]?.stringValue, missing != MissingPolicyName.error.rawValue { try refuse("missing=\(missing)") }
        if load["on_bad_lines"]?.stringValue == OnBadLinesName.skip.rawValue { try refuse("on_bad_lines=skip") }
        if load["decimal"]?.stringValue == DecimalName.comma.rawValue { try refuse("decimal=\",\"") }
        if let encoding = load["encoding"]?.stringValue, encoding != EncodingName.auto.rawValue, encoding != EncodingName.utf8.rawValue {
            try refuse("encoding=\(encoding)")
        }
    }

    /// The delimiter as `dataset/load` was told, or (`auto`, unsaid) the one the header line uses most.
    static func delimiter(_ given: String?, header: String?) -> String {
        if let given, given != "auto" { return given == "tab" ? "\t" : given }
        guard let header else { return "," }
        return [",", ";", "\t", "|"].max { a, b in header.components(separatedBy: a).count < header.components(separatedBy: b).count } ?? ","
    }

    /// The label column's name: `dataset/load`'s `label` by name, or the header's column at its
    /// index, or the header's last column (the default).
    static func labelName(_ given: JSONValue?, header: [String]?) throws(RPCError) -> String {
        if let name = given?.stringValue { return name }
        guard let header, !header.isEmpty else {
            throw RPCError.invalidParams("Spark needs the label column's name, and the file has no header line to read it from.", field: "source")
        }
        if let index = given?.intValue {
            guard index >= 0, Int(index) < header.count else {
                throw RPCError.invalidParams("The label column \(index) is not in the file's header (\(header.count) columns).", field: "source")
            }
            return header[Int(index)]
        }
        return header[header.count - 1]
    }

    /// The first line of a CSV (without a BOM), or nil when it cannot be read.
    static func headerFields(_ path: String) -> String? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        guard let data = try? handle.read(upToCount: 1 << 16) else { return nil }
        var line = String(decoding: data.prefix { $0 != UInt8(ascii: "\n") }, as: UTF8.self)
        if line.hasPrefix("\u{FEFF}") { line.removeFirst() }
        if line.hasSuffix("\r") { line.removeLast() }
        return line
    }

    /// Splits a header line; quoted names lose their quotes.
    static func split(_ line: String, by delimiter: String) -> [String] {
        line.components(separatedBy: delimiter).map { field in
            var name = field.trimmingCharacters(in: .whitespaces)
            if name.count >= 2, name.hasPrefix("\""), name.hasSuffix("\"") { name = String(name.dropFirst().dropLast()) }
            return name.replacingOccurrences(of: "\"\"", with: "\"")
        }
    }
}
