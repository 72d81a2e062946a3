import BallastML

/// A disk-backed dataset's file: the features row-major as float32, mapped rather than read, so a
/// dataset larger than memory can be trained on. (API first; bodies follow.)
public enum DatasetRowFile {
    /// Writes a row file window by window; one owner. `finish` or `abandon` ends it.
    public final class Writer {
        /// Creates the file (mode 0600, refusing an existing one) for rows of `featureCount` features.
        public init(path: String, featureCount: Int) throws(DatasetFileError) {
            fatalError("not yet")
        }

        /// Appends rows: `features.count == rows × featureCount`, `classes.count == rows`.
        public func append(features: UnsafeBufferPointer<Float>, classes: UnsafeBufferPointer<Int32>) throws(DatasetFileError) {
            fatalError("not yet")
        }

        /// Rows appended so far.
        public var rowCount: Int { fatalError("not yet") }

        /// Writes the classes remapped (`classRemap[old] = new`, for labels merged across chunks),
        /// the metadata and the header, fsyncs, then maps the file and returns the dataset, whose
        /// features are backed by the mapping; the file is deleted when the last copy of the
        /// dataset goes away when `deleteWhenUnused` is true.
        public func finish(schema: DatasetSchema, classLabels: [String], positiveClass: Int?, ids: [String]?,
                           classRemap: [Int32]?, deleteWhenUnused: Bool) throws(DatasetFileError) -> Dataset {
            fatalError("not yet")
        }

        /// Removes the partial file.
        public func abandon() {
            fatalError("not yet")
        }
    }

    /// Maps the row file at `path` and returns its dataset (features mapped, classes read and
    /// checked); with `deleteWhenUnused` the file is removed when the last copy goes away.
    public static func open(path: String, deleteWhenUnused: Bool) throws(DatasetFileError) -> Dataset {
        fatalError("not yet")
    }
}
