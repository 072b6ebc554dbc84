/**
 * Mid-rank percentile of each value among all of them: (values below + ½ × values equal) / n,
 * in 0–1. Ties share one rank, so a site where everyone did the same gives everyone 0.5
 * rather than ordering them by accident of input order.
 */
export function percentileRanks(values: number[]): number[] {
  const n = values.length
  if (n === 0) return []
  const order = values.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0])
  const ranks = new Array<number>(n)
  for (let start = 0; start < n;) {
    let end = start
    while (end + 1 < n && order[end + 1][0] === order[start][0]) end++
    const rank = (start + 0.5 * (end - start + 1)) / n
    for (let k = start; k <= end; k++) ranks[order[k][1]] = rank
    start = end + 1
  }
  return ranks
}
