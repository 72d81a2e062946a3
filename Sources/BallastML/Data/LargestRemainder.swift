/// Splits `total` into whole parts proportional to `shares` (Hamilton's largest-remainder method).
///
/// Each part gets `⌊total × share / Σshares⌋`; the rows left over go one each to the parts with the
/// largest fractional remainders, ties going to the earlier part. Every part is therefore within one
/// of its exact quota and the parts sum to `total`.
func largestRemainder(total: Int, shares: [Double]) -> [Int] {
    precondition(total >= 0 && !shares.isEmpty)
    let sum = shares.reduce(0, +)
    let quotas = shares.map { sum > 0 ? Double(total) * ($0 / sum) : 0 }
    var counts = quotas.map { max(0, Int($0.rounded(.down))) }
    let remainders = zip(quotas, counts).map { $0 - Double($1) }
    // Larger remainder first; equal remainders keep the order of the parts.
    let order = remainders.indices.sorted { remainders[$0] != remainders[$1] ? remainders[$0] > remainders[$1] : $0 < $1 }
    var leftover = total - counts.reduce(0, +)
    var position = 0
    while leftover > 0 {
        counts[order[position % order.count]] += 1
        leftover -= 1
        position += 1
    }
    // Only reachable through rounding in the quotas: take back from the smallest remainders.
    position = order.count - 1
    while leftover < 0 {
        let part = order[(position % order.count + order.count) % order.count]
        if counts[part] > 0 {
            counts[part] -= 1
            leftover += 1
        }
        position -= 1
    }
    return counts
}
