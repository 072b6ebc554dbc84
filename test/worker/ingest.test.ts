import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { countEvents, createSite, event, sendBatch, settle, waitForEvents } from './helpers'

describe('POST /v1/events', () => {
  it('stores a valid batch and answers 202 with the count', async () => {
    const site = await createSite()
    const res = await sendBatch(site, [
      event(),
      event({ type: 'feature', feature: 'budget_tracking' }),
    ])
    expect(res.status).toBe(202)
    expect(await res.json()).toEqual({ accepted: 2, rejected: [] })
    expect(await waitForEvents(site.id, 2)).toBe(2)
  })

  it('stores a resent batch once', async () => {
    const site = await createSite()
    const batch = [event(), event(), event()]
    await sendBatch(site, batch)
    await sendBatch(site, batch)
    await waitForEvents(site.id, 3)
    expect(await settle(site.id)).toBe(3)
  })
})
