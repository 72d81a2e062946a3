/// What a load works out from the first records: column names, decimal commas, the delimiter.

extension Reader {
    /// Header names, or `x1…xN` and `label` without a header (or for an empty header cell).
    static func columnNames(_ header: [[UInt8]]?, columns: Int, labelColumn: Int, _ decoding: TextDecoding) -> [String] {
        var names: [String] = []
        var feature = 0
        for i in 0..<columns {
            let given = header.map { i < $0.count ? decoding.decode($0[i]) : "" } ?? ""
            if i == labelColumn {
                names.append(given.isEmpty ? "label" : given)
            } else {
                feature += 1
                names.append(given.isEmpty ? "x\(feature)" : given)
            }
        }
        return names
    }

    /// Whether the first records hold a number written with a decimal comma (`1,5`).
    static func writesDecimalCommas(_ records: [[[UInt8]]]) -> Bool {
        for record in records {
            for cell in record where cell.contains(UInt8(ascii: ",")) {
                if case .number = CSVLexer.classify(cell, decimalComma: true) { return true }
            }
        }
        return false
    }

    /// When decimal commas are possible (`decimal` auto or comma), a `;` that splits every sampled
    /// record alike wins over the commas inside its numbers; with a decimal comma, `,` is no candidate.
    func detectDelimiter(_ records: [(Int, Int)]) -> UInt8 {
        var candidates: [UInt8] = [UInt8(ascii: ","), CSVLexer.tab, UInt8(ascii: ";"), UInt8(ascii: "|")]
        if options.decimal == .comma { candidates.removeFirst() }
        var counts = [[Int]](repeating: [], count: candidates.count)
        for (s, e) in records {
            var perCandidate = [Int](repeating: 0, count: candidates.count)
            var inQuote = false
            for i in s..<e {
                let c = base[i]
                if c == CSVLexer.quote { inQuote.toggle(); continue }
                if inQuote { continue }
                for k in 0..<candidates.count where candidates[k] == c { perCandidate[k] += 1 }
            }
            for k in 0..<candidates.count { counts[k].append(perCandidate[k]) }
        }
        if options.decimal != .point, let k = candidates.firstIndex(of: UInt8(ascii: ";")),
           let firstCount = counts[k].first, firstCount > 0, counts[k].allSatisfy({ $0 == firstCount }) {
            return candidates[k]
        }
        var best: (score: (Int, Int, Int), index: Int)? = nil
        for k in 0..<candidates.count {
            let c = counts[k]
            guard let firstCount = c.first, firstCount > 0 else { continue }
            let agreeing = c.filter { $0 == firstCount }.count
            let consistent = agreeing == c.count ? 1 : 0
            let score = (consistent, consistent == 1 ? firstCount : agreeing, firstCount)
            if best == nil || score > best!.score { best = (score, k) }
        }
        return candidates[best?.index ?? 0]
    }
}
