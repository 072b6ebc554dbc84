/**
 * p50 / p95 of GET requests through `wrangler dev`, for the prediction and forecast benches:
 * one warm-up call, then `runs` timed ones; a 429 waits out its Retry-After and is not counted.
 */
export async function timeGets(url: () => string, key: string, runs: number): Promise<number[]> {
  const samples: number[] = []
  for (let i = 0; i <= runs; i++) {
    const t = performance.now()
    const target = url()
    const res = await fetch(target, { headers: { authorization: `Bearer ${key}` } })
    await res.arrayBuffer()
    if (res.status === 429) {
      await new Promise((r) => setTimeout(r, Number(res.headers.get('retry-after') ?? 60) * 1000))
      i--
      continue
    }
    if (res.status !== 200) throw new Error(`${target} answered ${res.status}`)
    if (i > 0) samples.push(performance.now() - t) // the first call warms the isolate
  }
  return samples
}

export function summary(ms: number[]): string {
  const sorted = [...ms].sort((a, b) => a - b)
  const pct = (p: number) =>
    sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)].toFixed(0)
  return `p50 ${pct(0.5)} ms, p95 ${pct(0.95)} ms`
}
