import Foundation
import XCTest
@testable import BallastML

final class CSVFloatParsingTests: XCTestCase {
    private func reference(_ s: String) -> Float { s.withCString { strtof($0, nil) } }

    private func assertMatchesStrtof(_ s: String, file: StaticString = #filePath, line: UInt = #line) -> Bool {
        let (ours, status) = FloatParser.parse(Array(s.utf8))
        let expected = reference(s)
        if status == .invalid {
            XCTFail("\(s) rejected", file: file, line: line)
            return false
        }
        if expected.isInfinite {
            if status != .overflow { XCTFail("\(s): strtof overflows, we gave \(ours)", file: file, line: line); return false }
            return true
        }
        if status != .ok || ours.bitPattern != expected.bitPattern {
            XCTFail("\(s): ours \(ours) (\(status)) != strtof \(expected)", file: file, line: line)
            return false
        }
        return true
    }

    func testEdgeValues() {
        let cases = [
            "0", "-0", "+0", "0.0", ".5", "5.", "-.5e1", "1e0", "1E+2", "1e-2", "00012.5000",
            "3.4028235e38", "3.40282346638528859811704183484516925440e+38", "3.4028236e38", "-3.4028235e38",
            "1.17549435e-38", "1.1754942e-38", "1e-45", "1.4e-45", "7e-46", "1e-46", "1e-50", "0e999",
            "16777216", "16777217", "16777218", "16777219", "33554433", "9007199254740993",
            "0.1", "0.2", "0.3", "123456789", "1234567890123456789", "12345678901234567890123",
            "0.000000000000000000000000000000000000000000001", "2.5e-08", "-1.3598071336738",
            "0.0986979012610507", "149.62", "1.00000005960464477539062", "1.000000059604644775390625",
            "1.00000005960464477539063", "0.99999997019767761230468750", "4.2949673e9", "1e38", "9.999999e37",
            "8.589973e9", "1.1754943508222875e-38", "1.175494280757e-38",
        ]
        for s in cases { _ = assertMatchesStrtof(s) }
    }

    func testRejectsNonNumbers() {
        for s in ["", "-", "+", ".", "e5", "1e", "1e+", "1.2.3", "0x10", "inf", "nan", "1,5", "--1", "1 2", "abc"] {
            XCTAssertEqual(FloatParser.parse(Array(s.utf8)).1, .invalid, s)
        }
    }

    func testRandomDecimalsMatchStrtof() {
        var rng = SystemRandomNumberGenerator()
        var failures = 0
        for i in 0..<120_000 {
            var s = ""
            switch i % 4 {
            case 0:
                // Arbitrary digit strings with a point and an exponent.
                if Bool.random(using: &rng) { s += "-" }
                let digits = Int.random(in: 1...28, using: &rng)
                let point = Int.random(in: 0...digits, using: &rng)
                for d in 0..<digits {
                    if d == point { s += "." }
                    s += String(Int.random(in: 0...9, using: &rng))
                }
                if Bool.random(using: &rng) { s += "e\(Int.random(in: -60...45, using: &rng))" }
            case 1:
                // Random Float bit patterns printed with 6 to 12 significant digits.
                let f = Float(bitPattern: UInt32.random(in: 0..<0x7F80_0000, using: &rng))
                s = String(format: "%.\(Int.random(in: 6...12, using: &rng))g", Double(f))
            case 2:
                // Near Float rounding midpoints: the shortest Double for the exact midpoint, nudged.
                let f = Float(bitPattern: UInt32.random(in: 0x0080_0000..<0x7F7F_FFFF, using: &rng))
                var mid = (Double(f) + Double(f.nextUp)) / 2
                let nudge = Int.random(in: -2...2, using: &rng)
                if nudge < 0 { for _ in 0..<(-nudge) { mid = mid.nextDown } } else { for _ in 0..<nudge { mid = mid.nextUp } }
                s = "\(mid)"
            default:
                // Long decimals like the credit-card data: 13 to 19 significant digits.
                let v = Double.random(in: -50...50, using: &rng)
                s = String(format: "%.\(Int.random(in: 12...18, using: &rng))g", v)
            }
            if !assertMatchesStrtof(s) {
                failures += 1
                if failures > 20 { return }
            }
        }
    }

    func testNumbersInsideCSVUseTheSameConversion() throws {
        var text = "a,b,y\n"
        var values: [String] = []
        var rng = SystemRandomNumberGenerator()
        for r in 0..<2000 {
            let a = String(format: "%.17g", Double.random(in: -1e6...1e6, using: &rng))
            let b = String(format: "%.16f", Double.random(in: -1...1, using: &rng)) + "e\(Int.random(in: -30...30, using: &rng))"
            values += [a, b]
            text += "\(a), \"\(b)\" ,\(r % 2)\n"
        }
        let t = try loadCSV(text)
        XCTAssertEqual(t.dataset.features.map(\.bitPattern), values.map { reference($0).bitPattern })
    }
}
