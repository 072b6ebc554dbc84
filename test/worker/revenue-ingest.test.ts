/**
 * Revenue at ingest (DESIGN §7.9): subscription events from a secret ingest key only, in the
 * site's currency, with an amount and interval the MRR can be computed from. Each bad event is
 * rejected alone with a code, the rest of its batch stored.
 */
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { REVENUE_NAMES, type IngestResponse } from '../../worker/schemas'
import { call, createKey, createSite, event, sendBatch, type TestSite } from './helpers'

type Answer = IngestResponse & { error?: { details: { rejected: IngestResponse['rejected'] } } }

const revenue = (fields: Record<string, unknown> = {}) =>
  event({
    type: 'revenue',
    name: 'subscription_started',
    tier: 'plus',
    value: 9.99,
    currency: 'USD',
    ...fields,
  })

async function backend(site: TestSite, events: unknown[], raw?: string) {
  const token = await createKey(site, 'ingest')
  const res = await call('/v1/events', {
    method: 'POST',
    token,
    ...(raw ? { raw } : { body: { events } }),
  })
  return (await res.json()) as Answer
}

/** The code each event got, `ok` for a stored one. */
function codes(answer: Answer, n: number): string[] {
  const rejected = answer.rejected ?? answer.error!.details.rejected
  return Array.from({ length: n }, (_, i) => rejected.find((r) => r.index === i)?.code ?? 'ok')
}

async function storedIds(siteId: string): Promise<string[]> {
  const { results } = await env.DB.prepare(
    "SELECT id FROM events WHERE site_id = ?1 AND type = 'revenue' ORDER BY ts, id",
  )
    .bind(siteId)
    .all<{ id: string }>()
  return results.map((r) => r.id)
}

describe('revenue events at ingest', () => {
  it('stores each of the seven names from a secret ingest key, with tier, amount and interval', async () => {
    const site = await createSite()
    const events = REVENUE_NAMES.map((name, i) =>
      revenue({
        name,
        ts: Date.now() - 1000 + i,
        value: name === 'refund' ? -9.99 : name === 'subscription_cancelled' ? 0 : 9.99,
        props: { interval: i % 2 ? 'year' : 'month' },
      }),
    )
    const answer = await backend(site, events)
    expect(answer).toEqual({ accepted: 7, duplicates: 0, rejected: [] })
    const { results } = await env.DB.prepare(
      "SELECT name, tier, value, currency, props FROM events WHERE site_id = ?1 AND type = 'revenue' ORDER BY ts",
    )
      .bind(site.id)
      .all()
    expect(results.map((r) => r.name)).toEqual([...REVENUE_NAMES])
    expect(results[1]).toEqual({
      name: 'subscription_renewed',
      tier: 'plus',
      value: 9.99,
      currency: 'USD',
      props: '{"interval":"year"}',
    })
  })

  it('refuses revenue from the public key and stores the page events beside it', async () => {
    const site = await createSite()
    const res = await sendBatch(site, [revenue(), event()])
    expect(codes((await res.json()) as Answer, 2)).toEqual(['type_not_allowed', 'ok'])
  })

  it('rejects a name that is not a subscription event, a refund or a one-off purchase', async () => {
    const site = await createSite()
    const answer = await backend(site, [revenue({ name: 'subscription' }), revenue()])
    expect(codes(answer, 2)).toEqual(['unknown_revenue_name', 'ok'])
    expect(answer.rejected[0].message).toMatch(/subscription_started.*one_time.*"subscription"/)
  })

  it('rejects a revenue event without a name', async () => {
    const site = await createSite()
    const { name: _, ...nameless } = revenue() as Record<string, unknown>
    const answer = await backend(site, [nameless, revenue()])
    expect(codes(answer, 2)).toEqual(['invalid_event', 'ok'])
    expect(answer.rejected[0].message).toMatch(/revenue events need "name"/)
  })

  it("rejects an amount in another currency than the site's with currency_mismatch", async () => {
    const site = await createSite()
    const answer = await backend(site, [revenue({ currency: 'EUR' }), revenue()])
    expect(codes(answer, 2)).toEqual(['currency_mismatch', 'ok'])
    expect(answer.rejected[0].message).toMatch(/EUR.*USD/)
    expect(await storedIds(site.id)).toHaveLength(1)
  })

  it("takes the currency the site's config names once it changes", async () => {
    const site = await createSite()
    const patch = await call(`/v1/sites/${site.id}/config`, {
      method: 'PATCH',
      token: site.admin,
      body: { currency: 'EUR' },
    })
    expect(patch.status).toBe(200)
    const answer = await backend(site, [revenue({ currency: 'EUR' }), revenue()])
    expect(codes(answer, 2)).toEqual(['ok', 'currency_mismatch'])
  })

  it('rejects an amount that is not a finite number', async () => {
    const site = await createSite()
    const good = revenue()
    // 1e999 is valid JSON that parses to Infinity.
    const raw = `{"events":[${JSON.stringify(revenue()).replace('"value":9.99', '"value":1e999')},${JSON.stringify(good)}]}`
    const answer = await backend(site, [], raw)
    expect(codes(answer, 2)).toEqual(['invalid_event', 'ok'])
    expect(await storedIds(site.id)).toEqual([good.id])
  })

  it('rejects an amount beyond ±1e9', async () => {
    const site = await createSite()
    const answer = await backend(site, [
      revenue({ value: 1e9 + 1 }),
      revenue({ name: 'refund', value: -2e9 }),
      revenue({ value: 1e9 }),
    ])
    expect(codes(answer, 3)).toEqual(['value_out_of_range', 'value_out_of_range', 'ok'])
  })

  it('rejects a negative amount on anything but a refund', async () => {
    const site = await createSite()
    const answer = await backend(site, [
      revenue({ value: -9.99 }),
      revenue({ name: 'one_time', value: -1 }),
      revenue({ name: 'refund', value: -9.99 }),
    ])
    expect(codes(answer, 3)).toEqual(['negative_amount', 'negative_amount', 'ok'])
  })

  it('rejects a refund given as a positive amount', async () => {
    const site = await createSite()
    const answer = await backend(site, [revenue({ name: 'refund', value: 9.99 }), revenue()])
    expect(codes(answer, 2)).toEqual(['positive_refund', 'ok'])
    expect(answer.rejected[0].message).toMatch(/-9\.99/)
  })

  it('takes a charge of 0, such as a cancellation', async () => {
    const site = await createSite()
    const answer = await backend(site, [revenue({ name: 'subscription_cancelled', value: 0 })])
    expect(answer.accepted).toBe(1)
  })

  it('rejects an interval other than month or year', async () => {
    const site = await createSite()
    const answer = await backend(site, [
      revenue({ props: { interval: 'week' } }),
      revenue({ props: { interval: 12 } }),
      revenue({ props: { interval: 'Year' } }),
      revenue({ props: { interval: 'year' } }),
      revenue({ props: { plan: 'annual' } }),
    ])
    expect(codes(answer, 5)).toEqual([
      'invalid_interval',
      'invalid_interval',
      'invalid_interval',
      'ok',
      'ok',
    ])
  })

  it('answers 400 with every rejection when no revenue event of a batch is valid', async () => {
    const site = await createSite()
    const answer = await backend(site, [revenue({ currency: 'GBP' }), revenue({ value: -1 })])
    expect(codes(answer, 2)).toEqual(['currency_mismatch', 'negative_amount'])
    expect(await storedIds(site.id)).toEqual([])
  })
})
