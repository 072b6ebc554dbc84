/**
 * p50 / p95 of requests through `wrangler dev`, for the benches: one warm-up call, then `runs`
 * timed ones; a 429 waits out its Retry-After and is not counted. `url` may be a function, for
 * a different URL each call; a `body` makes it a POST of that JSON.
 */
export async function timeCalls(
  url: string | (() => string),
  key: string,
  runs: number,
  body?: unknown,
): Promise<number[]> {
  const init = {
    method: body ? 'POST' : 'GET',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: body ? JSON.stringify(body) : undefined,
  }
  const samples: number[] = []
  for (let i = 0; i <= runs; i++) {
    const target = typeof url === 'string' ? url : url()
    const t = performance.now()
    const res = await fetch(target, init)
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
  return `p50 ${percentile(ms, 0.5)} ms, p95 ${percentile(ms, 0.95)} ms`
}

/** The nearest-rank percentile, whole ms. */
export function percentile(ms: number[], p: number): number {
  const sorted = [...ms].sort((a, b) => a - b)
  return Math.round(sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)])
}
