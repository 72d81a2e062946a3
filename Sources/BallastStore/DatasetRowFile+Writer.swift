#if canImport(Glibc)
import Glibc
#endif
import BallastML
import BallastProtocol

extension DatasetRowFile {
    /// Writes a row file window by window: features go to disk as they come, the classes stay in
    /// memory (4 bytes a row) until `finish` remaps and writes them. One owner; a writer that goes
    /// away without `finish` removes its partial file, as `abandon` does.
    public final class Writer {
        public let path: String
        public let featureCount: Int
        /// The open file, until `finish` or `abandon` closes it.
        private var descriptor: Int32
        /// Whether the file on disk is this writer's to remove (false once a dataset owns it).
        private var ownsFile = true
        private var classes: [Int32] = []
        /// Where the next row's features go.
        private var offset = DatasetRowFile.dataOffset

        /// Creates the file (mode 0600; an existing file is refused, never overwritten) for rows of
        /// `featureCount` features.
        public init(path: String, featureCount: Int) throws(DatasetFileError) {
            precondition(featureCount >= 0, "a row has a non-negative number of features")
            var opened: Int32
            repeat {
                opened = Glibc.open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
            } while opened < 0 && errno == EINTR
            guard opened >= 0 else { throw .system(file: path, step: "creating it", code: errno) }
            self.path = path
            self.featureCount = featureCount
            descriptor = opened
        }

        deinit { abandon() }

        /// Rows appended so far.
        public var rowCount: Int { classes.count }

        /// Appends rows: `features` holds `classes.count × featureCount` values, row-major.
        public func append(features: UnsafeBufferPointer<Float>, classes: UnsafeBufferPointer<Int32>) throws(DatasetFileError) {
            precondition(descriptor >= 0, "append after finish or abandon")
            precondition(features.count == classes.count * featureCount, "one row of features per class")
            try write(UnsafeRawBufferPointer(features), at: offset, step: "writing its rows")
            offset += features.count * MemoryLayout<Float>.stride
            self.classes.append(contentsOf: classes)
        }

        /// Writes the classes remapped (`classRemap[old] = new`, for labels merged across chunks),
        /// the metadata and the header, fsyncs, then maps the file and returns the dataset, whose
        /// features are backed by the mapping; the file is deleted when the last copy of the
        /// dataset goes away when `deleteWhenUnused` is true. On failure the file is still the
        /// writer's: `abandon` (or letting the writer go) removes it.
        public func finish(schema: DatasetSchema, classLabels: [String], positiveClass: Int?, ids: [String]?,
                           classRemap: [Int32]?, deleteWhenUnused: Bool) throws(DatasetFileError) -> Dataset {
            precondition(descriptor >= 0, "finish after finish or abandon")
            precondition(schema.featureNames.count == featureCount, "the schema names one feature per value of a row")
            precondition(ids == nil || ids!.count == classes.count, "one id per row")
            if let classRemap {
                for i in classes.indices {
                    let old = Int(classes[i])
                    precondition(classRemap.indices.contains(old), "classRemap covers every class appended")
                    classes[i] = classRemap[old]
                }
            }
            let metadata = DatasetColumnFile.Metadata(schema: schema, classes: classLabels, positive: positiveClass, ids: ids)
            let json = JSONWriter.data(metadata.json(format: DatasetRowFile.format, version: DatasetRowFile.version, fingerprint: .null))
            try write(classes, at: offset, step: "writing its classes")
            let metadataOffset = offset + classes.count * MemoryLayout<Int32>.stride
            try write(json, at: metadataOffset, step: "writing its metadata")
            let header = DatasetRowFile.headerBytes(rows: classes.count, features: featureCount, metadataLength: json.count)
            try write(header, at: 0, step: "writing its header")
            var synced: Int32
            repeat { synced = fsync(descriptor) } while synced != 0 && errno == EINTR
            guard synced == 0 else { throw .system(file: path, step: "syncing it to disk", code: errno) }
            let fd = descriptor
            descriptor = -1
            // Not retried: on Linux the descriptor is released even when close reports EINTR.
            let closed = Glibc.close(fd)
            let code = errno
            if closed != 0 && code != EINTR { throw .system(file: path, step: "closing it", code: code) }
            return try openWritten(deleteWhenUnused: deleteWhenUnused)
        }

        private func openWritten(deleteWhenUnused: Bool) throws(DatasetFileError) -> Dataset {
            let dataset = try DatasetRowFile.open(path: path, deleteWhenUnused: deleteWhenUnused)
            ownsFile = false
            classes = []
            return dataset
        }

        /// Removes the partial file (or a finished file whose opening failed). Does nothing after a
        /// successful `finish`: the file is the dataset's then.
        public func abandon() {
            if descriptor >= 0 {
                Glibc.close(descriptor)
                descriptor = -1
            }
            if ownsFile {
                unlink(path)
                ownsFile = false
            }
            classes = []
        }

        private func write<Element>(_ values: [Element], at position: Int, step: String) throws(DatasetFileError) {
            var failure: DatasetFileError?
            values.withUnsafeBytes { bytes in
                do throws(DatasetFileError) { try write(bytes, at: position, step: step) } catch { failure = error }
            }
            if let failure { throw failure }
        }

        /// Writes all of `bytes` at `position`, retrying short writes and EINTR.
        private func write(_ bytes: UnsafeRawBufferPointer, at position: Int, step: String) throws(DatasetFileError) {
            guard let start = bytes.baseAddress, bytes.count > 0 else { return }
            var done = 0
            while done < bytes.count {
                let written = pwrite(descriptor, start + done, bytes.count - done, off_t(position + done))
                if written < 0 {
                    let code = errno
                    if code == EINTR { continue }
                    throw .system(file: path, step: step, code: code)
                }
                done += written
            }
        }
    }
}

extension DatasetColumnFile.Metadata {
    /// The metadata of data not written yet: no fingerprint.
    init(schema: DatasetSchema, classes: [String], positive: Int?, ids: [String]?) {
        self.schema = schema
        self.classes = classes
        self.positive = positive
        self.ids = ids
        self.fingerprint = ""
    }
}
