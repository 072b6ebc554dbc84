/**
 * Column means and standard deviations (population, n) of a feature matrix, and the matrix in
 * z-scores. A constant column gets sd 1 so it becomes all zeros instead of NaN; the model then
 * gives it no weight (the L2 penalty pulls it to 0).
 */
export type Scaler = { means: number[]; sds: number[] }

export function fitScaler(rows: number[][]): Scaler {
  const k = rows[0]?.length ?? 0
  const means = new Array<number>(k).fill(0)
  const sds = new Array<number>(k).fill(0)
  for (const r of rows) for (let j = 0; j < k; j++) means[j] += r[j] / rows.length
  for (const r of rows) for (let j = 0; j < k; j++) sds[j] += (r[j] - means[j]) ** 2 / rows.length
  return { means, sds: sds.map((v) => (v > 1e-12 ? Math.sqrt(v) : 1)) }
}

export function standardise(row: number[], s: Scaler): number[] {
  return row.map((v, j) => (v - s.means[j]) / s.sds[j])
}
