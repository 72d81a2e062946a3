#if canImport(Glibc)
import Glibc
#endif
import BallastML

extension DatasetRowFile {
    /// A whole file mapped read-only and shared (its pages are the page cache's, so releasing
    /// them costs nothing but a later re-read). The one owner of the mapping: unmapped in deinit.
    final class FileMapping: @unchecked Sendable {
        // @unchecked: `base` and `length` never change, and the memory they name is never written
        // through this mapping (PROT_READ); madvise from any thread is safe on it.
        let base: UnsafeRawPointer
        let length: Int

        init(path: String) throws(DatasetFileError) {
            var opened: Int32
            repeat { opened = Glibc.open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC) } while opened < 0 && errno == EINTR
            guard opened >= 0 else {
                let code = errno
                if code == ENOENT { throw .missing(file: path) }
                throw .system(file: path, step: "opening", code: code)
            }
            defer { Glibc.close(opened) }
            var status = stat()
            guard fstat(opened, &status) == 0 else { throw .system(file: path, step: "reading its size", code: errno) }
            guard status.st_mode & S_IFMT == S_IFREG else { throw .damaged(file: path, reason: "it is not a regular file") }
            let size = Int(status.st_size)
            guard size >= DatasetRowFile.headerBytes else {
                throw .truncated(file: path, expected: DatasetRowFile.headerBytes, actual: size)
            }
            guard let mapped = mmap(nil, size, PROT_READ, MAP_SHARED, opened, 0), mapped != MAP_FAILED else {
                throw .system(file: path, step: "mapping it into memory", code: errno)
            }
            base = UnsafeRawPointer(mapped)
            length = size
        }

        deinit { munmap(UnsafeMutableRawPointer(mutating: base), length) }

        static let pageSize = max(1, sysconf(Int32(_SC_PAGESIZE)))

        /// The pages covering `bytes` (rounded out to whole pages, within the file).
        private func pages(_ bytes: Range<Int>) -> (start: UnsafeMutableRawPointer, length: Int)? {
            let page = Self.pageSize
            let lower = max(0, bytes.lowerBound / page * page)
            let upper = min(length, (bytes.upperBound + page - 1) / page * page)
            guard lower < upper else { return nil }
            return (UnsafeMutableRawPointer(mutating: base + lower), upper - lower)
        }

        /// Drops the pages covering `bytes` from this process; touching them again reads them back
        /// (from the page cache when still there). Rounded out to whole pages: a page another thread
        /// reads at the same time is simply faulted in again, with the same bytes.
        func release(bytes: Range<Int>) {
            advise(bytes: bytes, MADV_DONTNEED)
        }

        func advise(bytes: Range<Int>, _ advice: Int32) {
            guard let (start, count) = pages(bytes) else { return }
            // Advice only: a refusal changes what is resident, never what is read.
            _ = madvise(start, count, advice)
        }
    }

    /// The features of an opened row file, as a `FeatureMatrix` sees them. Holds the mapping, and
    /// removes the file when it goes away if the dataset owned it.
    final class MappedFeatures: FeatureBacking {
        let mapping: FileMapping
        let byteOffset: Int
        let count: Int
        let removing: String?

        init(mapping: FileMapping, byteOffset: Int, count: Int, removing: String?) {
            self.mapping = mapping
            self.byteOffset = byteOffset
            self.count = count
            self.removing = removing
        }

        deinit {
            // The mapping stays valid after unlink until it is unmapped, right after this.
            if let removing { unlink(removing) }
        }

        var base: UnsafePointer<Float> {
            (mapping.base + byteOffset).assumingMemoryBound(to: Float.self)
        }

        func release(_ range: Range<Int>) {
            mapping.release(bytes: (byteOffset + range.lowerBound * 4)..<(byteOffset + range.upperBound * 4))
        }
    }
}
