/// A labelled table: the unit every part of Ballast works on.
///
/// Features are stored row-major as contiguous `Float` (float32), `rowCount × featureCount`, in
/// memory or in a mapped file (`FeatureMatrix`); the classes and ids are always in memory.
/// Each row's class is an index into `classLabels`, which keeps the labels exactly as they
/// were given (`"0"`, `"1"`, `"Yes"`, `"positive"`).
///
/// - Important: `features.count == rowCount * featureCount`, `classIndex.count == rowCount`,
///   every `classIndex` value is a valid index into `classLabels`, and `featureNames.count == featureCount`.
public struct Dataset: Sendable, Equatable {
    /// Its columns and the features they became; `featureNames` is `schema.featureNames`.
    public var schema: DatasetSchema
    public var featureNames: [String] { schema.featureNames }
    public var features: FeatureMatrix
    public var classIndex: [Int32]
    public var classLabels: [String]
    /// For binary data, the class index of the rare/positive class; `nil` for multiclass data.
    public var positiveClass: Int?
    /// Each row's identifier from the file's id column, when it had one; never a feature. Rows
    /// made up by SMOTE have none, so its output keeps no ids.
    public var ids: [String]?

    /// A dataset whose features are all numeric columns.
    public init(featureNames: [String], features: [Float], classIndex: [Int32],
                classLabels: [String], positiveClass: Int?) {
        self.init(schema: .numeric(featureNames), features: features, classIndex: classIndex,
                  classLabels: classLabels, positiveClass: positiveClass)
    }

    public init(schema: DatasetSchema, features: [Float], classIndex: [Int32],
                classLabels: [String], positiveClass: Int?, ids: [String]? = nil) {
        self.init(schema: schema, features: FeatureMatrix(features), classIndex: classIndex,
                  classLabels: classLabels, positiveClass: positiveClass, ids: ids)
    }

    public init(schema: DatasetSchema, features: FeatureMatrix, classIndex: [Int32],
                classLabels: [String], positiveClass: Int?, ids: [String]? = nil) {
        precondition(ids == nil || ids!.count == classIndex.count, "one id per row")
        self.ids = ids
        let featureNames = schema.featureNames
        precondition(featureNames.isEmpty || features.count % featureNames.count == 0,
                     "features.count must be a multiple of featureNames.count")
        precondition(featureNames.isEmpty ? features.isEmpty : features.count / featureNames.count == classIndex.count,
                     "one class index per row")
        self.schema = schema
        self.features = features
        self.classIndex = classIndex
        self.classLabels = classLabels
        self.positiveClass = positiveClass
    }

    public var rowCount: Int { classIndex.count }
    public var featureCount: Int { featureNames.count }
    public var classCount: Int { classLabels.count }

    /// Rows per class, indexed like `classLabels`.
    public var classCounts: [Int] {
        var counts = [Int](repeating: 0, count: classLabels.count)
        for c in classIndex { counts[Int(c)] += 1 }
        return counts
    }

    /// Bytes of the feature matrix, the class column and the ids, wherever the features live.
    public var byteCount: Int {
        features.count * MemoryLayout<Float>.stride + residentBytesBesideFeatures
    }

    /// Bytes held in process memory: the features only when owned (a backed matrix lives in the
    /// page cache), the class column and the ids. What the memory budget counts.
    public var residentBytes: Int {
        features.residentBytes + residentBytesBesideFeatures
    }

    private var residentBytesBesideFeatures: Int {
        classIndex.count * MemoryLayout<Int32>.stride + Self.idBytes(ids)
    }

    /// Bytes a list of row ids holds in memory (each string and its UTF-8 text); 0 for none.
    public static func idBytes(_ ids: [String]?) -> Int {
        ids?.reduce(0) { $0 + MemoryLayout<String>.stride + $1.utf8.count } ?? 0
    }

    /// A new dataset made of the given rows, in the given order (rows may repeat). The classes and
    /// ids are picked into new arrays. The features are an owned copy of the picked rows when these
    /// are owned; when they are backed (a disk dataset, or a view of one) the result's features are
    /// a row-index view of the same backing (`FeatureMatrix.selecting(rows:width:)`): 4 or 8 bytes
    /// a row, no values copied, and `residentBytes` counts the map.
    public func selecting(rows: [Int]) -> Dataset {
        var classes = [Int32](repeating: 0, count: rows.count)
        for (outRow, inRow) in rows.enumerated() { classes[outRow] = classIndex[inRow] }
        return Dataset(schema: schema, features: features.selecting(rows: rows, width: featureCount), classIndex: classes,
                       classLabels: classLabels, positiveClass: positiveClass, ids: ids.map { ids in rows.map { ids[$0] } })
    }
}
