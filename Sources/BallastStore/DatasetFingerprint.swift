import BallastML
import CSodium
import Foundation

/// A dataset's content fingerprint: BLAKE2b-256 (libsodium's generic hash) over its schema, class
/// labels, positive class, ids, class column and features, in that order, each part preceded by
/// its length, as 64 hex digits. Two datasets with the same fingerprint hold the same rows in the
/// same order with the same names; a run records it beside each dataset name it read, so "the
/// same name" and "the same data" can be told apart later.
public enum DatasetFingerprint {
    private static let libraryReady: Bool = sodium_init() >= 0

    public static func of(_ dataset: Dataset) -> String {
        precondition(libraryReady, "libsodium failed to initialise")
        // The state is a 64-byte-aligned C struct Swift sees as opaque: held in raw memory.
        let stateMemory = UnsafeMutableRawPointer.allocate(byteCount: crypto_generichash_statebytes(), alignment: 64)
        defer { stateMemory.deallocate() }
        let state = OpaquePointer(stateMemory)
        crypto_generichash_init(state, nil, 0, 32)
        func absorb(_ bytes: UnsafeRawBufferPointer) {
            var length = UInt64(bytes.count).littleEndian
            _ = withUnsafeBytes(of: &length) { crypto_generichash_update(state, $0.bindMemory(to: UInt8.self).baseAddress, 8) }
            if let base = bytes.bindMemory(to: UInt8.self).baseAddress, bytes.count > 0 {
                crypto_generichash_update(state, base, UInt64(bytes.count))
            }
        }
        func absorb(_ text: String) { Array(text.utf8).withUnsafeBytes(absorb) }
        for column in dataset.schema.columns {
            switch column {
            case .numeric(let name):
                absorb("n:" + name)
            case let .categorical(name, levels):
                absorb("c:" + name)
                for level in levels { absorb(level) }
            }
        }
        absorb("labels")
        for label in dataset.classLabels { absorb(label) }
        absorb("positive:" + (dataset.positiveClass.map(String.init) ?? "none"))
        if let ids = dataset.ids {
            absorb("ids")
            for id in ids { absorb(id) }
        }
        dataset.classIndex.withUnsafeBytes(absorb)
        // The features in slices, each released once hashed: a disk-backed dataset's file is read
        // through without staying resident. The same bytes in the same order: the same digest.
        var length = UInt64(dataset.features.count * MemoryLayout<Float>.stride).littleEndian
        _ = withUnsafeBytes(of: &length) { crypto_generichash_update(state, $0.bindMemory(to: UInt8.self).baseAddress, 8) }
        let width = max(1, dataset.featureCount)
        let sliceRows = max(1, (1 << 24) / width)
        if dataset.features.isView {
            // A view's rows, one at a time through its row map: the bytes a copy of them would hold,
            // in the same order, so the digest is the copy's. The base is let go once at the end.
            if dataset.featureCount > 0 {
                dataset.features.withRows(width: dataset.featureCount) { rows in
                    for k in 0..<rows.count {
                        rows[k].withMemoryRebound(to: UInt8.self, capacity: width * 4) {
                            _ = crypto_generichash_update(state, $0, UInt64(width * 4))
                        }
                    }
                }
            }
            dataset.features.release(rows: 0..<dataset.rowCount, width: width)
        } else {
            dataset.features.withUnsafeBytes { bytes in
                guard let base = bytes.bindMemory(to: UInt8.self).baseAddress else { return }
                var row = 0
                while row < dataset.rowCount {
                    let end = min(dataset.rowCount, row + sliceRows)
                    crypto_generichash_update(state, base + row * width * 4, UInt64((end - row) * width * 4))
                    dataset.features.release(rows: row..<end, width: width)
                    row = end
                }
            }
        }
        var digest = [UInt8](repeating: 0, count: 32)
        crypto_generichash_final(state, &digest, digest.count)
        return digest.map { String(format: "%02x", $0) }.joined()
    }
}
