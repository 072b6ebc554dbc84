/**
 * Sends one batch to `POST /v1/sites/:site/import`. A network error, a 5xx or a 429 is tried
 * again (after Retry-After for a 429, else 1, 2, 4 … s); any other error stops the import,
 * since sending the same batch again would get the same answer. A 400 whose every event was
 * rejected is an answer, not an error: those events are reported and the import goes on.
 */
import type { IngestResponse, Rejection } from '../../worker/schemas'

export type Target = { url: string; site: string; key: string }

export class ImportStopped extends Error {}

const ATTEMPTS = 6

export async function sendBatch(target: Target, events: unknown[]): Promise<IngestResponse> {
  const url = `${target.url.replace(/\/$/, '')}/v1/sites/${encodeURIComponent(target.site)}/import`
  let problem = ''
  let retryAfterS = 0
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    if (attempt)
      await sleep(retryAfterS * 1000 || 1000 * 2 ** (attempt - 1) * (0.5 + Math.random()))
    retryAfterS = 0
    let res: Response
    try {
      res = await fetch(url, {
        method: 'POST',
        headers: { authorization: `Bearer ${target.key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ events }),
      })
    } catch (err) {
      problem = `cannot reach ${target.url}: ${(err as Error).message}`
      continue
    }
    const text = await res.text()
    if (res.ok) return JSON.parse(text) as IngestResponse
    const error = errorOf(text)
    if (res.status === 400 && error?.code === 'invalid_events') {
      const rejected = (error.details as { rejected: Rejection[] }).rejected
      return { accepted: 0, duplicates: 0, rejected }
    }
    problem = `${res.status} ${error?.code ?? ''}: ${error?.message ?? text.slice(0, 200)}`
    if (res.status === 429) retryAfterS = Number(res.headers.get('retry-after')) || 0
    if (res.status !== 429 && res.status < 500) throw new ImportStopped(problem)
  }
  throw new ImportStopped(`gave up after ${ATTEMPTS} attempts: ${problem}`)
}

function errorOf(text: string): { code: string; message: string; details?: unknown } | null {
  try {
    return (JSON.parse(text) as { error?: { code: string; message: string } }).error ?? null
  } catch {
    return null
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
