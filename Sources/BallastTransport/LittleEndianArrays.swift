import Foundation

/// Numbers to and from the bytes of a binary buffer: little-endian, packed, no header
/// (protocol/README.md section 1). On a little-endian machine these are plain copies.
public enum LittleEndianArrays {
    public static func data(_ values: [Float]) -> Data {
        data(values[...])
    }

    public static func data(_ values: [Int32]) -> Data {
        data(values[...])
    }

    /// The bytes of a run of rows, copied once, straight from the array that holds them.
    public static func data(_ values: ArraySlice<Float>) -> Data {
        #if _endian(little)
        return values.withUnsafeBufferPointer { Data(buffer: $0) }
        #else
        return values.map { $0.bitPattern.littleEndian }.withUnsafeBufferPointer { Data(buffer: $0) }
        #endif
    }

    public static func data(_ values: ArraySlice<Int32>) -> Data {
        #if _endian(little)
        return values.withUnsafeBufferPointer { Data(buffer: $0) }
        #else
        return values.map { $0.littleEndian }.withUnsafeBufferPointer { Data(buffer: $0) }
        #endif
    }

    /// The float32 values of `data`, whose length must be a multiple of 4.
    public static func floats(_ data: Data) -> [Float] {
        var values: [Float] = []
        appendFloats(of: data, to: &values)
        return values
    }

    /// Appends the float32 values of `data` (a multiple of 4 bytes long) to `values`: one copy,
    /// from the received bytes into the array that keeps them.
    public static func appendFloats(of data: Data, to values: inout [Float]) {
        precondition(data.count % 4 == 0, "a float32 buffer's length is a multiple of 4")
        let count = data.count / 4
        data.withUnsafeBytes { bytes in
            #if _endian(little)
            if let base = bytes.baseAddress, Int(bitPattern: base) % MemoryLayout<Float>.alignment == 0 {
                values.append(contentsOf: UnsafeBufferPointer(start: base.assumingMemoryBound(to: Float.self), count: count))
                return
            }
            #endif
            for index in 0..<count {
                values.append(Float(bitPattern: UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: 4 * index, as: UInt32.self))))
            }
        }
    }

    /// The index of the first value of `data` (little-endian float32, a multiple of 4 bytes) that
    /// is NaN or infinite, or nil when every one is finite. Reads the bytes in place; the scan is
    /// branch-free within blocks, so the compiler vectorises it.
    public static func firstNonFinite(in data: Data) -> Int? {
        precondition(data.count % 4 == 0, "a float32 buffer's length is a multiple of 4")
        return data.withUnsafeBytes { bytes -> Int? in
            let count = bytes.count / 4
            let block = 4_096
            var start = 0
            while start < count {
                let end = min(count, start + block)
                // A float is not finite exactly when its exponent bits are all ones; adding one
                // to such an exponent carries into the top bit, and into it only then.
                var carried: UInt32 = 0
                for index in start..<end {
                    let bits = UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: 4 * index, as: UInt32.self))
                    carried |= (bits & 0x7F80_0000) &+ 0x0080_0000
                }
                if carried & 0x8000_0000 != 0 {
                    for index in start..<end {
                        let bits = UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: 4 * index, as: UInt32.self))
                        if bits & 0x7F80_0000 == 0x7F80_0000 { return index }
                    }
                }
                start = end
            }
            return nil
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
