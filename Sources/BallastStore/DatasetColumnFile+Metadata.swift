import BallastML
import BallastProtocol

extension DatasetColumnFile {
    /// Why a column file's metadata was refused, for `decode` to say which file.
    struct MetadataProblem: Error {
        let reason: String
    }

    /// What a column file says about its data besides the numbers.
    struct Metadata {
        var schema: DatasetSchema
        var classes: [String]
        var positive: Int?
        var ids: [String]?
        var fingerprint: String

        init(_ dataset: Dataset, fingerprint: String) {
            schema = dataset.schema
            classes = dataset.classLabels
            positive = dataset.positiveClass
            ids = dataset.ids
            self.fingerprint = fingerprint
        }

        var json: JSONValue { json(format: DatasetColumnFile.format, version: DatasetColumnFile.version, fingerprint: .string(fingerprint)) }

        /// The keys every dataset file writes; a row file names its own format and has no fingerprint.
        func json(format: String, version: UInt32, fingerprint: JSONValue) -> JSONValue {
            let columns: [JSONValue] = schema.columns.map { column in
                switch column {
                case .numeric(let name): ["name": .string(name), "type": "numeric"]
                case let .categorical(name, levels): ["name": .string(name), "type": "text", "levels": .array(levels.map { .string($0) })]
                }
            }
            return ["format": .string(format), "version": .int(Int64(version)),
                    "columns": .array(columns), "classes": .array(classes.map { .string($0) }),
                    "positive": positive.map { .int(Int64($0)) } ?? .null,
                    "ids": ids.map { .array($0.map { .string($0) }) } ?? .null,
                    "fingerprint": fingerprint]
        }

        /// Reads the metadata of a file of `format`; a row file's (`fingerprintRequired` false) may
        /// leave the fingerprint null, read as "".
        init(_ json: JSONValue, format: String = DatasetColumnFile.format, fingerprintRequired: Bool = true) throws(MetadataProblem) {
            func bad(_ what: String) -> MetadataProblem { MetadataProblem(reason: what) }
            guard json["format"]?.stringValue == format else {
                throw bad(format == DatasetColumnFile.format ? "its metadata names no column-file format" : "its metadata names no \(format) format")
            }
            guard let columnValues = json["columns"]?.arrayValue, let classValues = json["classes"]?.arrayValue,
                  let fingerprint = json["fingerprint"]?.stringValue ?? (fingerprintRequired ? nil : "") else {
                throw bad("its metadata lacks columns, classes or fingerprint")
            }
            var columns: [DatasetSchema.Column] = []
            for value in columnValues {
                guard let name = value["name"]?.stringValue else { throw bad("a column has no name") }
                switch value["type"]?.stringValue {
                case "numeric": columns.append(.numeric(name: name))
                case "text":
                    guard let levels = value["levels"]?.arrayValue?.compactMap(\.stringValue) else { throw bad("the text column '\(name)' has no levels") }
                    columns.append(.categorical(name: name, levels: levels))
                default: throw bad("the column '\(name)' is neither numeric nor text")
                }
            }
            schema = DatasetSchema(columns: columns)
            classes = classValues.compactMap(\.stringValue)
            guard classes.count == classValues.count else { throw bad("a class label is not text") }
            positive = json["positive"]?.intValue.map(Int.init)
            if let idValues = json["ids"]?.arrayValue {
                ids = idValues.compactMap(\.stringValue)
                guard ids?.count == idValues.count else { throw bad("an id is not text") }
            }
            self.fingerprint = fingerprint
        }
    }
}
