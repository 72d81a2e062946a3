/// Maps byte strings to dense ids (0, 1, 2, ... in first-seen order) without allocating a `String`
/// per lookup. Used per parser chunk for labels and text cells.
struct ByteInterner {
    private var storage: [UInt8] = []
    private var starts: [Int] = [0]
    private var hashes: [UInt64] = []
    private var slots: [Int32] = Array(repeating: -1, count: 16)

    var count: Int { starts.count - 1 }

    @inline(__always)
    private static func hash(_ p: UnsafePointer<UInt8>, _ n: Int) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for i in 0..<n { h = (h ^ UInt64(p[i])) &* 0x0000_0100_0000_01b3 }
        return h
    }

    mutating func intern(_ p: UnsafePointer<UInt8>, _ n: Int) -> Int32 {
        let h = Self.hash(p, n)
        let mask = slots.count - 1
        var i = Int(truncatingIfNeeded: h ^ (h >> 29)) & mask
        while true {
            let id = slots[i]
            if id < 0 { break }
            if hashes[Int(id)] == h && equals(Int(id), p, n) { return id }
            i = (i + 1) & mask
        }
        let id = Int32(count)
        storage.append(contentsOf: UnsafeBufferPointer(start: p, count: n))
        starts.append(storage.count)
        hashes.append(h)
        slots[i] = id
        if count * 2 > slots.count { grow() }
        return id
    }

    mutating func intern(_ bytes: [UInt8]) -> Int32 {
        bytes.withUnsafeBufferPointer { intern($0.baseAddress ?? UnsafePointer(bitPattern: 1)!, $0.count) }
    }

    private func equals(_ id: Int, _ p: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        let s = starts[id], e = starts[id + 1]
        if e - s != n { return false }
        return storage.withUnsafeBufferPointer { buffer in
            n == 0 || memcmp(buffer.baseAddress! + s, p, n) == 0
        }
    }

    private mutating func grow() {
        let size = slots.count * 2
        var fresh = [Int32](repeating: -1, count: size)
        let mask = size - 1
        for id in 0..<count {
            let h = hashes[id]
            var i = Int(truncatingIfNeeded: h ^ (h >> 29)) & mask
            while fresh[i] >= 0 { i = (i + 1) & mask }
            fresh[i] = Int32(id)
        }
        slots = fresh
    }

    func string(_ id: Int) -> String {
        String(decoding: storage[starts[id]..<starts[id + 1]], as: UTF8.self)
    }

    var strings: [String] { (0..<count).map(string) }

    func bytes(_ id: Int) -> ArraySlice<UInt8> { storage[starts[id]..<starts[id + 1]] }

    /// Every value, decoded as `decoding` says.
    func strings(_ decoding: TextDecoding) -> [String] { (0..<count).map { decoding.decode(bytes($0)) } }

    /// Whether every value is valid UTF-8. Pure ASCII (the usual case) is seen in one pass.
    var allValidUTF8: Bool {
        if !storage.contains(where: { $0 >= 0x80 }) { return true }
        return (0..<count).allSatisfy { TextDecoding.isValidUTF8(bytes($0)) }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
