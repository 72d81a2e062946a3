import Foundation

/// How numbers, counts, durations and sizes are written in every rendering.
enum Fmt {
    static func num(_ value: Double?, _ digits: Int = 4) -> String {
        guard let value else { return "–" }
        if value.isNaN { return "nan" }
        return String(format: "%.\(digits)f", value)
    }

    /// A count with thousands separators.
    static func count(_ value: Int64?) -> String {
        guard let value else { return "–" }
        let digits = String(value.magnitude)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return (value < 0 ? "-" : "") + out
    }

    static func compact(_ value: Double) -> String {
        if value == 0 { return "0" }
        let a = abs(value)
        if a >= 1e5 || a < 1e-3 { return String(format: "%.3g", value) }
        if a >= 100 { return String(format: "%.1f", value) }
        return String(format: "%.4g", value)
    }

    static func duration(_ seconds: Double) -> String {
        if !seconds.isFinite || seconds < 0 { return "–" }
        if seconds < 10 { return String(format: "%.1fs", seconds) }
        let s = Int(seconds.rounded())
        if s < 3600 { return String(format: "%d:%02d", s / 60, s % 60) }
        return String(format: "%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60)
    }

    static func bytes(_ value: Double?) -> String {
        guard let value else { return "–" }
        if value >= 1e9 { return String(format: "%.1f GB", value / 1e9) }
        if value >= 1e6 { return String(format: "%.1f MB", value / 1e6) }
        if value >= 1e3 { return String(format: "%.1f kB", value / 1e3) }
        return "\(Int(value)) B"
    }
}
