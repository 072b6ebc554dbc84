/**
 * Rate limiting through the Workers rate-limit bindings (DESIGN §2). A missing binding means
 * no limit, so a bare `wrangler dev` still works. 429s say when to come back.
 */
import { ApiError } from '../lib/errors'

/** Both bindings count over 60-second windows (wrangler.toml). */
const PERIOD_S = 60

export async function enforceLimit(limiter: RateLimit | undefined, key: string): Promise<void> {
  if (!limiter) return
  const { success } = await limiter.limit({ key })
  if (!success) {
    throw new ApiError(
      429,
      'rate_limited',
      `Too many requests; retry after ${PERIOD_S} s`,
      undefined,
      {
        'Retry-After': String(PERIOD_S),
      },
    )
  }
}
