import XCTest
@testable import BallastML

final class CSVParallelTests: XCTestCase {
    /// ~50k rows with quoted fields (some holding newlines), a text column, gaps and CRLF.
    private func generated(rows: Int) -> [UInt8] {
        var rng = SplitMix(seed: 42)
        var text = "\"id\",amount,kind,\"note\",v1,v2,label\r\n"
        let kinds = ["card", "wire", "cash", "check"]
        for r in 0..<rows {
            let amount = String(format: "%.2f", Double(rng.next() % 1_000_000) / 100)
            let v1 = rng.next() % 17 == 0 ? "NA" : String(format: "%.15g", Double(Int64(bitPattern: rng.next()) >> 11) / 1e12)
            let v2 = String(format: "%.6e", Double(Int64(bitPattern: rng.next()) >> 20) / 1e9)
            let note = rng.next() % 5 == 0 ? "\"line one\nline \"\"two\"\", x\"" : "\" plain \""
            let label = rng.next() % 50 == 0 ? "fraud" : "ok"
            text += "\(r),\(amount),\(kinds[Int(rng.next() % 4)]),\(note),\(v1),\(v2),\(label)\r\n"
        }
        return Array(text.utf8)
    }

    func testMultiThreadedLoadEqualsSingleThreadedBitForBit() throws {
        let text = generated(rows: 50_000)
        var results: [LoadedTable] = []
        for threads in [1, 2, 3, 8] {
            var options = CSVOptions()
            options.threads = threads
            options.missing = .imputeMean
            options.label = .name("label")
            results.append(try CSVLoader.load(csv: text, options: options))
        }
        let base = results[0]
        XCTAssertEqual(base.dataset.rowCount, 50_000)
        XCTAssertEqual(base.dataset.featureNames,
                       ["id", "amount", "kind=card", "kind=cash", "kind=check", "kind=wire",
                        "note= plain ", "note=line one\nline \"two\", x", "v1", "v2"])
        XCTAssertEqual(base.dataset.classLabels, ["fraud", "ok"])
        XCTAssertEqual(base.dataset.positiveClass, 0)
        XCTAssertEqual(base.encodedColumns, ["kind", "note"])
        XCTAssertGreaterThan(base.missingPerFeature[8], 0)
        // Spot-check row ids survive chunking in order.
        let width = base.dataset.featureCount
        for r in stride(from: 0, to: 50_000, by: 997) { XCTAssertEqual(base.dataset.features[r * width], Float(r)) }
        for other in results.dropFirst() {
            XCTAssertEqual(other.dataset.features.map(\.bitPattern), base.dataset.features.map(\.bitPattern))
            XCTAssertEqual(other.dataset.classIndex, base.dataset.classIndex)
            XCTAssertEqual(other.dataset.classLabels, base.dataset.classLabels)
            XCTAssertEqual(other.dataset.featureNames, base.dataset.featureNames)
            XCTAssertEqual(other.dataset.positiveClass, base.dataset.positiveClass)
            XCTAssertEqual(other.missingPerFeature, base.missingPerFeature)
        }
    }

    func testFileWithoutFinalNewlineEndingInLongQuotedRecord() throws {
        var bytes = generated(rows: 30_000)
        let huge = String(repeating: "long label line\n", count: 9_000)   // 144 KB, past the small tail chunk
        bytes += Array("30000,1.00,card,\"end\nnote\",1,2,\"\(huge)\"".utf8)
        let text = bytes
        var tables: [LoadedTable] = []
        for threads in [1, 2, 5] {
            var options = CSVOptions()
            options.threads = threads
            options.missing = .dropRows
            tables.append(try CSVLoader.load(csv: text, options: options))
        }
        let first = tables[0].dataset
        XCTAssertEqual(first.classLabels.count, 3)
        XCTAssertEqual(first.classLabels[Int(first.classIndex.last!)], huge)
        XCTAssertEqual(first.features[(first.rowCount - 1) * first.featureCount], 30_000)
        for other in tables.dropFirst() {
            XCTAssertEqual(other.dataset.features.map(\.bitPattern), first.features.map(\.bitPattern))
            XCTAssertEqual(other.dataset.classIndex, first.classIndex)
            XCTAssertEqual(other.droppedRows, tables[0].droppedRows)
        }
        XCTAssertGreaterThan(tables[0].droppedRows, 0)
    }

    func testQuoteFreeFileSplitsIdentically() throws {
        var text = ""
        var rng = SplitMix(seed: 7)
        for r in 0..<50_000 {
            text += "\(Double(rng.next() % 100_000) / 7),\(r),\(rng.next() % 3)\n"
        }

        var one = CSVOptions(); one.threads = 1
        var two = CSVOptions(); two.threads = 2
        let a = try CSVLoader.load(csv: text, options: one)
        let b = try CSVLoader.load(csv: text, options: two)
        XCTAssertEqual(a.dataset.rowCount, 50_000)
        XCTAssertEqual(a.dataset.features.map(\.bitPattern), b.dataset.features.map(\.bitPattern))
        XCTAssertEqual(a.dataset.classIndex, b.dataset.classIndex)
        XCTAssertEqual(a.dataset.classLabels, ["0", "1", "2"])
    }
}

/// Small deterministic generator so the fixture is the same on every run.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
