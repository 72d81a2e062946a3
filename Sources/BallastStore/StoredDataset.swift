import BallastProtocol
import Foundation

/// One row of `datasets`: what the store knows of a dataset besides its data.
public struct StoredDataset: Sendable, Equatable {
    public var name: String
    /// How to make it again: `{"method": …, "params": {…as sent}, "sources": [{"name", "fingerprint"}]}`.
    public var provenance: JSONValue
    /// The wire name of its origin (`loaded`, `generated`, `split`, …).
    public var origin: String
    public var derivedFrom: String?
    /// Missing cells per feature in its source file.
    public var missing: [Int]
    /// `DatasetFingerprint.of` its data.
    public var fingerprint: String
    public var rows: Int
    public var features: Int
    /// Its column file in `<state dir>/datasets/`; nil when not kept, or evicted.
    public var file: String?
    /// The column file's size; 0 without one.
    public var bytes: Int
    /// Whether it was meant to be kept (false for `keep: false` or `--no-keep-datasets`).
    public var kept: Bool
    public var stored: Date
    public var lastUsed: Date

    /// A dataset meant to be kept whose file the size policy removed.
    public var isEvicted: Bool { kept && file == nil }

    public init(name: String, provenance: JSONValue, origin: String, derivedFrom: String?, missing: [Int],
                fingerprint: String, rows: Int, features: Int, file: String?, bytes: Int, kept: Bool,
                stored: Date = Date(), lastUsed: Date = Date()) {
        self.name = name
        self.provenance = provenance
        self.origin = origin
        self.derivedFrom = derivedFrom
        self.missing = missing
        self.fingerprint = fingerprint
        self.rows = rows
        self.features = features
        self.file = file
        self.bytes = bytes
        self.kept = kept
        self.stored = stored
        self.lastUsed = lastUsed
    }
}
