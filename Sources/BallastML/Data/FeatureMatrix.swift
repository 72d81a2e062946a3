import Synchronization

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

/// The features of a dataset: `rowCount × featureCount` float32 values, row-major, held one of
/// three ways:
/// - owned: an in-memory `[Float]`;
/// - backed: a `FeatureBacking` (a mapped file) that the OS pages in and out;
/// - a row-index view of a backing: the backing plus a row map (`UInt32` a row, or `Int` when the
///   base has more than 2³² rows). Row `k` of the view is row `map[k]` of the base. A view is what
///   `selecting(rows:width:)` makes of a backed matrix (a split, a fold, an over- or under-sample
///   of a disk dataset): 4 or 8 bytes a row instead of a copy. A view of a view composes the maps,
///   so a view always reads the base directly. A view holds its backing alive: dropping the dataset
///   it came from does not invalidate it.
///
/// **Reading.** `withRows(width:_:)` is the one reader that never copies: it hands out a
/// `FeatureRows`, a pointer per row, for every storage. Hot loops and every pass over a dataset of
/// any size read through it. `withUnsafeBufferPointer` hands out one contiguous buffer: the values
/// themselves when owned or backed, but for a view it must *gather* the rows into a temporary
/// array. That is allowed only for small views (at most `gatherLimit` values, 64 MiB); past it the
/// call stops the process with a message naming this contract (a programming error, found by the
/// tests, where the alternative would be an unannounced copy of gigabytes). Every gather is counted
/// in `FeatureMatrix.gatherCount`, so tests assert that a pass on a view gathered nothing.
/// The element subscript and the `Collection` conformance work on a view (index arithmetic through
/// the map) without copying, at a per-element cost.
///
/// **Writing.** Writing to a backed matrix or a view first copies it into memory (copy on write;
/// a view gathers its rows): a backing is never written through. Callers that write a disk
/// dataset's values check the memory budget first.
public struct FeatureMatrix: Sendable {
    /// The values when owned; empty when backed.
    private var owned: [Float]
    /// The mapped values, when backed (a view's base).
    private var backing: (any FeatureBacking)?
    /// For a view: which rows of the backing, in order.
    private var rowMap: RowMap?
    /// For a view: values a row.
    private var viewWidth: Int

    /// Rows of a view as row numbers into its base, 4 bytes a row when the base's row numbers fit.
    private enum RowMap: Sendable, Equatable {
        case narrow([UInt32])
        case wide([Int])

        init(_ rows: some Collection<Int>, baseRows: Int) {
            self = baseRows <= Int(UInt32.max) ? .narrow(rows.map { UInt32(truncatingIfNeeded: $0) }) : .wide(Array(rows))
        }

        var count: Int {
            switch self {
            case .narrow(let map): map.count
            case .wide(let map): map.count
            }
        }

        subscript(k: Int) -> Int {
            switch self {
            case .narrow(let map): Int(map[k])
            case .wide(let map): map[k]
            }
        }

        var bytes: Int {
            switch self {
            case .narrow(let map): map.count * MemoryLayout<UInt32>.stride
            case .wide(let map): map.count * MemoryLayout<Int>.stride
            }
        }
    }

    /// The most values `withUnsafeBufferPointer` gathers from a view (64 MiB of float32).
    public static let gatherLimit = 16 << 20

    private static let gathers = Atomic<Int>(0)

    /// How many times, since the process started, a view's rows were gathered into a temporary
    /// contiguous copy (`withUnsafeBufferPointer`, `array`, `withUnsafeBytes`). Tests read it
    /// before and after a pass to prove the pass read the view in place.
    public static var gatherCount: Int { gathers.load(ordering: .relaxed) }

    public init(_ values: [Float]) {
        owned = values
        backing = nil
        rowMap = nil
        viewWidth = 0
    }

    public init(backing: any FeatureBacking) {
        owned = []
        self.backing = backing
        rowMap = nil
        viewWidth = 0
    }

    public init() { self.init([Float]()) }

    /// Whether the values live outside memory (a mapped file, or a view of one) rather than in an
    /// owned array.
    public var isBacked: Bool { backing != nil }

    /// Whether this is a row-index view of a backing (see the type's notes).
    public var isView: Bool { rowMap != nil }

    /// The rows `rows` (row numbers of `width` values each; they may repeat, in any order) as a new
    /// matrix: a view when this one is backed or a view (the map composed: never a copy of the
    /// values), an owned copy of the picked rows when this one is owned.
    public func selecting(rows: [Int], width: Int) -> FeatureMatrix {
        precondition(width > 0 || count == 0, "a matrix with values has rows of at least one value")
        if let backing {
            let baseRows = width == 0 ? 0 : backing.count / width
            var view = FeatureMatrix(backing: backing)
            if let rowMap {
                precondition(width == viewWidth, "a view is read with the width it was made with")
                view.rowMap = RowMap(rows.lazy.map { rowMap[$0] }, baseRows: baseRows)
            } else {
                view.rowMap = RowMap(rows, baseRows: baseRows)
            }
            view.viewWidth = width
            return view
        }
        var picked = [Float](repeating: 0, count: rows.count * width)
        owned.withUnsafeBufferPointer { source in
            picked.withUnsafeMutableBufferPointer { target in
                for (outRow, inRow) in rows.enumerated() {
                    (target.baseAddress! + outRow * width).update(from: source.baseAddress! + inRow * width, count: width)
                }
            }
        }
        return FeatureMatrix(picked)
    }

    /// Calls `body` with a pointer per row (`width` values each), whatever the storage, without
    /// copying anything. Valid only inside `body`. The one reader a pass over a dataset should use.
    public func withRows<R, E: Error>(width: Int, _ body: (FeatureRows) throws(E) -> R) throws(E) -> R {
        let rows = width == 0 ? 0 : count / width
        if let backing {
            return try withExtendedLifetime(backing) { () throws(E) -> R in
                switch rowMap {
                case nil:
                    return try body(FeatureRows(base: backing.base, width: width, count: rows, narrow: nil, wide: nil))
                case .narrow(let map)?:
                    precondition(width == viewWidth, "a view is read with the width it was made with")
                    return try map.withUnsafeBufferPointer { (map) throws(E) -> R in
                        try body(FeatureRows(base: backing.base, width: width, count: rows, narrow: map.baseAddress, wide: nil))
                    }
                case .wide(let map)?:
                    precondition(width == viewWidth, "a view is read with the width it was made with")
                    return try map.withUnsafeBufferPointer { (map) throws(E) -> R in
                        try body(FeatureRows(base: backing.base, width: width, count: rows, narrow: nil, wide: map.baseAddress))
                    }
                }
            }
        }
        return try owned.withUnsafeBufferPointer { (buffer) throws(E) -> R in
            // An empty array may have no address; with no rows nothing is ever read through it.
            let base = buffer.baseAddress ?? UnsafePointer(bitPattern: MemoryLayout<Float>.alignment)!
            return try body(FeatureRows(base: base, width: width, count: rows, narrow: nil, wide: nil))
        }
    }

    /// Calls `body` with the values as one contiguous buffer, valid only inside `body`. Owned and
    /// backed matrices hand out their values; a view gathers its rows into a temporary copy, which
    /// is allowed only up to `gatherLimit` values (see the type's notes: read views with
    /// `withRows(width:_:)`).
    public func withUnsafeBufferPointer<R, E: Error>(_ body: (UnsafeBufferPointer<Float>) throws(E) -> R) throws(E) -> R {
        if rowMap != nil {
            let gathered = gather()
            return try gathered.withUnsafeBufferPointer { (buffer) throws(E) -> R in try body(buffer) }
        }
        if let backing {
            // The backing keeps `base` valid for its lifetime; `self` holds it for the call.
            return try withExtendedLifetime(backing) { () throws(E) -> R in
                try body(UnsafeBufferPointer(start: backing.base, count: backing.count))
            }
        }
        return try owned.withUnsafeBufferPointer { (buffer) throws(E) -> R in try body(buffer) }
    }

    /// Calls `body` with the values' bytes (little-endian float32 on every platform Ballast runs on);
    /// a view gathers, as `withUnsafeBufferPointer`.
    public func withUnsafeBytes<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
        try withUnsafeBufferPointer { (buffer) throws(E) -> R in try body(UnsafeRawBufferPointer(buffer)) }
    }

    /// Calls `body` with the values as one mutable buffer; a backed matrix or a view first becomes
    /// owned (its values are copied into memory, whatever their size: check the budget first).
    public mutating func withUnsafeMutableBufferPointer<R, E: Error>(
        _ body: (inout UnsafeMutableBufferPointer<Float>) throws(E) -> R) throws(E) -> R {
        makeOwned()
        return try owned.withUnsafeMutableBufferPointer { (buffer) throws(E) -> R in try body(&buffer) }
    }

    /// The values as an array: the owned array itself, or a copy of a backed matrix; a view
    /// gathers, as `withUnsafeBufferPointer`.
    public var array: [Float] {
        if rowMap != nil { return gather() }
        guard let backing else { return owned }
        return Array(UnsafeBufferPointer(start: backing.base, count: backing.count))
    }

    /// Tells a backed matrix that `rows` (of `width` values each) are not needed resident any more;
    /// does nothing when owned. A view's rows are scattered over its base, so a view releases the
    /// whole base, whatever `rows` says: call it once after a pass, not per chunk. Releasing pages
    /// another reader still uses only costs that reader a page fault: the values never change.
    public func release(rows: Range<Int>, width: Int) {
        guard let backing, !rows.isEmpty, width > 0 else { return }
        if rowMap != nil {
            backing.release(0..<backing.count)
            return
        }
        let lower = Swift.max(0, rows.lowerBound * width)
        let upper = Swift.min(backing.count, rows.upperBound * width)
        if lower < upper { backing.release(lower..<upper) }
    }

    /// Bytes this matrix holds in process memory: the owned values; nothing for a backed matrix
    /// (its pages belong to the OS's page cache and are released as passes go); a view's row map.
    public var residentBytes: Int {
        if let rowMap { return rowMap.bytes }
        return backing == nil ? owned.count * MemoryLayout<Float>.stride : 0
    }

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
        if rhs.isView {
            lhs.append(contentsOf: rhs)
            return
        }
        rhs.withUnsafeBufferPointer { lhs.append(contentsOf: $0) }
    }

    /// A view's rows copied into one array, under `gatherLimit`.
    private func gather() -> [Float] {
        precondition(count <= Self.gatherLimit,
                     "FeatureMatrix: a row-index view of \(count) values was asked for one contiguous buffer; views above \(Self.gatherLimit) values must be read with withRows(width:_:) (or copied with withUnsafeMutableBufferPointer after a budget check)")
        Self.gathers.add(1, ordering: .relaxed)
        return copyOfView()
    }

    /// A view's rows copied into one array, whatever its size.
    private func copyOfView() -> [Float] {
        let width = viewWidth
        var values = [Float](repeating: 0, count: count)
        withRows(width: width) { rows in
            values.withUnsafeMutableBufferPointer { target in
                for k in 0..<rows.count {
                    (target.baseAddress! + k * width).update(from: rows[k], count: width)
                }
            }
        }
        return values
    }

    /// Copies a backed matrix's or a view's values into memory; an owned matrix is left as it is.
    private mutating func makeOwned() {
        guard let backing else { return }
        owned = rowMap != nil ? copyOfView() : Array(UnsafeBufferPointer(start: backing.base, count: backing.count))
        self.backing = nil
        rowMap = nil
        viewWidth = 0
    }
}

extension FeatureMatrix: RandomAccessCollection, MutableCollection {
    public typealias Index = Int
    public typealias Indices = Range<Int>
    public typealias SubSequence = Slice<FeatureMatrix>

    public var startIndex: Int { 0 }
    public var endIndex: Int {
        if let rowMap { return rowMap.count * viewWidth }
        return backing?.count ?? owned.count
    }
    public var count: Int { endIndex }
    public var isEmpty: Bool { endIndex == 0 }
    public var indices: Range<Int> { 0..<endIndex }

    public subscript(position: Int) -> Float {
        get {
            if let backing {
                if let rowMap {
                    precondition(position >= 0 && position < rowMap.count * viewWidth, "FeatureMatrix index out of range")
                    let (row, column) = position.quotientAndRemainder(dividingBy: viewWidth)
                    return withExtendedLifetime(backing) { backing.base[rowMap[row] * viewWidth + column] }
                }
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

    /// The first position whose value satisfies `predicate`: a view is scanned row by row through
    /// its map (`withRows`), not element by element through the subscript.
    public func firstIndex(where predicate: (Float) -> Bool) -> Int? {
        guard isView else {
            if let backing {
                return withExtendedLifetime(backing) {
                    UnsafeBufferPointer(start: backing.base, count: backing.count).firstIndex(where: predicate)
                }
            }
            return owned.firstIndex(where: predicate)
        }
        let width = viewWidth
        return withRows(width: width) { rows -> Int? in
            for k in 0..<rows.count {
                if let column = rows.row(k).firstIndex(where: predicate) { return k * width + column }
            }
            return nil
        }
    }

    /// `nil` for a view (its rows are not contiguous), so generic algorithms iterate it in place.
    public func withContiguousStorageIfAvailable<R>(_ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R? {
        if rowMap != nil { return nil }
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
        if let a = lhs.backing, let b = rhs.backing, a === b, lhs.rowMap == rhs.rowMap, lhs.viewWidth == rhs.viewWidth { return true }
        guard lhs.count == rhs.count else { return false }
        if lhs.isView || rhs.isView { return lhs.elementsEqual(rhs) }
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
        isView ? "FeatureMatrix(view, \(count) values)" : isBacked ? "FeatureMatrix(backed, \(count) values)" : owned.description
    }
}
