/// "Did you mean …?": the known name closest to a misspelt one, for error messages everywhere.
public enum Suggestion {
    /// The closest of `known` to `word` when it is at most `maxDistance` edits away.
    public static func closest(to word: String, among known: [String], maxDistance: Int = 2) -> String? {
        guard let best = known.min(by: { distance($0, word) < distance($1, word) }),
              distance(best, word) <= maxDistance else { return nil }
        return best
    }

    /// Levenshtein distance: insertions, deletions and substitutions of characters.
    public static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        var previous = Array(0...b.count)
        for (i, ca) in a.enumerated() {
            var current = [i + 1] + Array(repeating: 0, count: b.count)
            for (j, cb) in b.enumerated() {
                current[j + 1] = min(previous[j + 1] + 1, current[j] + 1, previous[j] + (ca == cb ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
