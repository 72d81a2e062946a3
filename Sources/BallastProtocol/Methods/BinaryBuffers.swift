/// A param that refers to a binary buffer sent after the payload: `{"buffer": i}`, `i` counted
/// from 0 after the payload frame (protocol/README.md section 1). Every buffer a request carries
/// must be referenced by exactly one such field.
public struct BufferReference: Codable, Sendable, Equatable, Hashable, KnownFields {
    public static let fieldNames = ["buffer"]
    public var buffer: Int
    public init(buffer: Int) { self.buffer = buffer }

    /// The key that marks an object in params or a result as a buffer reference.
    public static let key = "buffer"
}

/// The element types a buffer holds; every number is little-endian.
public enum BufferDType: String, Codable, Sendable, CaseIterable {
    case float32, int32

    public var byteWidth: Int { 4 }
}

/// A buffer in a result: which frame after the payload (`buffer`), what it holds (`dtype`) and
/// its shape (row-major). Its byte length is the product of `shape` times the dtype's width.
public struct TypedBuffer: Codable, Sendable, Equatable {
    public var buffer: Int
    public var dtype: BufferDType
    public var shape: [Int]

    public init(buffer: Int, dtype: BufferDType, shape: [Int]) {
        self.buffer = buffer
        self.dtype = dtype
        self.shape = shape
    }

    /// The byte length the buffer must have.
    public var byteCount: Int { shape.reduce(dtype.byteWidth, *) }
}
