/// Where the values of a disk-backed feature matrix live: a block of row-major float32 that some
/// other layer (a mapped file) owns and keeps valid for as long as the backing object lives.
///
/// - Important: `base` points at `count` values that never change while the object lives.
public protocol FeatureBacking: AnyObject, Sendable {
    /// Row-major float32, `count` values.
    var base: UnsafePointer<Float> { get }
    var count: Int { get }
    /// Tells the OS the values in `range` are not needed resident any more (they stay on disk
    /// and in the page cache; touching them again maps them back). Safe while other threads read.
    func release(_ range: Range<Int>)
}

/// The features of a dataset: `rowCount × featureCount` float32 values, row-major, either held in
/// memory (an owned `[Float]`) or backed by a `FeatureBacking` (a mapped file) that the OS pages in
/// and out.
///
/// Reading goes through `withUnsafeBufferPointer`, which hands out one raw buffer either way, so
/// hot loops run over a pointer whatever the storage. Writing to a backed matrix first copies it
/// into memory (copy on write): a backed matrix is never written through.
public struct FeatureMatrix: Sendable {
    /// The values when owned; empty when backed.
    private var owned: [Float]
    /// The mapped values, when backed.
    private var backing: (any FeatureBacking)?

    public init(_ values: [Float]) {
        owned = values
        backing = nil
    }

    public init(backing: any FeatureBacking) {
        owned = []
        self.backing = backing
    }

    public init() { self.init([Float]()) }

    /// Whether the values live outside memory (a mapped file) rather than in an owned array.
    public var isBacked: Bool { backing != nil }

    /// Calls `body` with the values as one contiguous buffer, valid only inside `body`.
    public func withUnsafeBufferPointer<R, E: Error>(_ body: (UnsafeBufferPointer<Float>) throws(E) -> R) throws(E) -> R {
        if let backing {
            // The backing keeps `base` valid for its lifetime; `self` holds it for the call.
            return try withExtendedLifetime(backing) { () throws(E) -> R in
                try body(UnsafeBufferPointer(start: backing.base, count: backing.count))
            }
        }
        return try owned.withUnsafeBufferPointer { (buffer) throws(E) -> R in try body(buffer) }
    }

    /// Calls `body` with the values' bytes (little-endian float32 on every platform Ballast runs on).
    public func withUnsafeBytes<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
        try withUnsafeBufferPointer { (buffer) throws(E) -> R in try body(UnsafeRawBufferPointer(buffer)) }
    }

    /// Calls `body` with the values as one mutable buffer; a backed matrix first becomes owned
    /// (its values are copied into memory).
    public mutating func withUnsafeMutableBufferPointer<R, E: Error>(
        _ body: (inout UnsafeMutableBufferPointer<Float>) throws(E) -> R) throws(E) -> R {
        makeOwned()
        return try owned.withUnsafeMutableBufferPointer { (buffer) throws(E) -> R in try body(&buffer) }
    }

    /// The values as an array: the owned array itself, or a copy of a backed matrix.
    public var array: [Float] {
        guard let backing else { return owned }
        return Array(UnsafeBufferPointer(start: backing.base, count: backing.count))
    }

    /// Tells a backed matrix that `rows` (of `width` values each) are not needed resident any more;
    /// does nothing when owned.
    public func release(rows: Range<Int>, width: Int) {
        guard let backing, !rows.isEmpty, width > 0 else { return }
        let lower = Swift.max(0, rows.lowerBound * width)
        let upper = Swift.min(backing.count, rows.upperBound * width)
        if lower < upper { backing.release(lower..<upper) }
    }

    /// Bytes this matrix holds in process memory: the owned values, or nothing for a backed
    /// matrix (its pages belong to the OS's page cache and are released as passes go).
    public var residentBytes: Int { backing == nil ? owned.count * MemoryLayout<Float>.stride : 0 }

    public mutating func reserveCapacity(_ minimumCapacity: Int) {
        makeOwned()
        owned.reserveCapacity(minimumCapacity)
    }

    public mutating func append(contentsOf values: some Sequence<Float>) {
        makeOwned()
        owned.append(contentsOf: values)
    }

    public mutating func append(_ value: Float) {
        makeOwned()
        owned.append(value)
    }

    public static func += (lhs: inout FeatureMatrix, rhs: some Sequence<Float>) {
        lhs.append(contentsOf: rhs)
    }

    public static func += (lhs: inout FeatureMatrix, rhs: FeatureMatrix) {
        rhs.withUnsafeBufferPointer { lhs.append(contentsOf: $0) }
    }

    /// Copies a backed matrix's values into memory; an owned matrix is left as it is.
    private mutating func makeOwned() {
        guard let backing else { return }
        owned = Array(UnsafeBufferPointer(start: backing.base, count: backing.count))
        self.backing = nil
    }
}

extension FeatureMatrix: RandomAccessCollection, MutableCollection {
    public typealias Index = Int
    public typealias Indices = Range<Int>
    public typealias SubSequence = Slice<FeatureMatrix>

    public var startIndex: Int { 0 }
    public var endIndex: Int { backing?.count ?? owned.count }
    public var count: Int { endIndex }
    public var isEmpty: Bool { endIndex == 0 }
    public var indices: Range<Int> { 0..<endIndex }

    public subscript(position: Int) -> Float {
        get {
            if let backing {
                precondition(position >= 0 && position < backing.count, "FeatureMatrix index out of range")
                return backing.base[position]
            }
            return owned[position]
        }
        set {
            makeOwned()
            owned[position] = newValue
        }
    }

    public subscript(bounds: Range<Int>) -> Slice<FeatureMatrix> {
        get { Slice(base: self, bounds: bounds) }
        set {
            precondition(newValue.count == bounds.count, "a slice assignment must keep the count")
            for (offset, value) in newValue.enumerated() { self[bounds.lowerBound + offset] = value }
        }
    }

    public func withContiguousStorageIfAvailable<R>(_ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R? {
        if let backing {
            return try withExtendedLifetime(backing) {
                try body(UnsafeBufferPointer(start: backing.base, count: backing.count))
            }
        }
        return try owned.withUnsafeBufferPointer(body)
    }

    public mutating func withContiguousMutableStorageIfAvailable<R>(
        _ body: (inout UnsafeMutableBufferPointer<Float>) throws -> R) rethrows -> R? {
        makeOwned()
        return try owned.withUnsafeMutableBufferPointer(body)
    }
}

extension FeatureMatrix: Equatable {
    /// Equal when they hold the same values in the same order, whatever each one's storage.
    public static func == (lhs: FeatureMatrix, rhs: FeatureMatrix) -> Bool {
        if lhs.backing == nil && rhs.backing == nil { return lhs.owned == rhs.owned }
        if let a = lhs.backing, let b = rhs.backing, a === b { return true }
        return lhs.withUnsafeBufferPointer { a in
            rhs.withUnsafeBufferPointer { b in a.elementsEqual(b) }
        }
    }
}

extension FeatureMatrix: ExpressibleByArrayLiteral {
    public init(arrayLiteral elements: Float...) { self.init(elements) }
}

extension FeatureMatrix: CustomStringConvertible {
    public var description: String {
        isBacked ? "FeatureMatrix(backed, \(count) values)" : owned.description
    }
}
