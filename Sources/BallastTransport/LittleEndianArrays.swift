import Foundation

/// Numbers to and from the bytes of a binary buffer: little-endian, packed, no header
/// (protocol/README.md section 1). On a little-endian machine these are plain copies.
public enum LittleEndianArrays {
    public static func data(_ values: [Float]) -> Data {
        #if _endian(little)
        return values.withUnsafeBufferPointer { Data(buffer: $0) }
        #else
        return values.map { $0.bitPattern.littleEndian }.withUnsafeBufferPointer { Data(buffer: $0) }
        #endif
    }

    public static func data(_ values: [Int32]) -> Data {
        #if _endian(little)
        return values.withUnsafeBufferPointer { Data(buffer: $0) }
        #else
        return values.map { $0.littleEndian }.withUnsafeBufferPointer { Data(buffer: $0) }
        #endif
    }

    /// The float32 values of `data`, whose length must be a multiple of 4.
    public static func floats(_ data: Data) -> [Float] {
        precondition(data.count % 4 == 0, "a float32 buffer's length is a multiple of 4")
        return [Float](unsafeUninitializedCapacity: data.count / 4) { out, initialized in
            data.withUnsafeBytes { bytes in
                #if _endian(little)
                _ = bytes.copyBytes(to: out)
                #else
                for index in 0..<out.count {
                    out[index] = Float(bitPattern: UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: 4 * index, as: UInt32.self)))
                }
                #endif
            }
            initialized = data.count / 4
        }
    }

    /// The int32 values of `data`, whose length must be a multiple of 4.
    public static func int32s(_ data: Data) -> [Int32] {
        precondition(data.count % 4 == 0, "an int32 buffer's length is a multiple of 4")
        return [Int32](unsafeUninitializedCapacity: data.count / 4) { out, initialized in
            data.withUnsafeBytes { bytes in
                #if _endian(little)
                _ = bytes.copyBytes(to: out)
                #else
                for index in 0..<out.count {
                    out[index] = Int32(littleEndian: bytes.loadUnaligned(fromByteOffset: 4 * index, as: Int32.self))
                }
                #endif
            }
            initialized = data.count / 4
        }
    }
}
