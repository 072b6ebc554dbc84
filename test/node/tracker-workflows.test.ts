import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { closePage, newPage, type Page } from './support/tracker-page'

let page: Page
beforeEach(() => {
  page = newPage()
})
afterEach(closePage)

const steps = (p: Page) => p.events().filter((e) => e.type == 'step')

describe('workflow runs', () => {
  it('gives all steps of a run one run id, and the next run another', async () => {
    const sw = await page.loadTracker()
    sw('step', 'account_linking', 'connect')
    sw('step', 'account_linking', 'verify')
    sw('complete', 'account_linking')
    sw('step', 'account_linking', 'connect')
    await page.wait(2000)
    const runs = steps(page).map((e) => e.run)
    expect(new Set(runs.slice(0, 3)).size).toBe(1)
    expect(runs[3]).not.toBe(runs[0])
  })

  it('measures in value the seconds since the run’s previous step', async () => {
    const sw = await page.loadTracker()
    sw('step', 'account_linking', 'connect')
    await page.wait(4500)
    sw('step', 'account_linking', 'verify', { status: 'failed', reason: 'mfa_timeout' })
    await page.wait(1250)
    sw('complete', 'account_linking')
    await page.wait(2000)
    expect(steps(page)).toMatchObject([
      { workflow: 'account_linking', step: 'connect' },
      { step: 'verify', status: 'failed', reason: 'mfa_timeout', value: 4.5 },
      { step: 'complete', status: 'completed', value: 1.25 },
    ])
    expect(steps(page)[0].value).toBeUndefined()
  })

  it('reports an abandon at the step the user was on, with its reason, and closes the run', async () => {
    const sw = await page.loadTracker()
    sw('step', 'account_linking', 'start')
    sw('step', 'account_linking', 'verify')
    sw('abandon', 'account_linking', 'closed_modal')
    sw('abandon', 'account_linking', 'closed_modal')
    await page.wait(2000)
    expect(steps(page).slice(2)).toMatchObject([
      { step: 'verify', status: 'abandoned', reason: 'closed_modal', run: steps(page)[0].run },
    ])
  })

  it('starts a new run at a step named start, even while one is open', async () => {
    const sw = await page.loadTracker()
    sw('step', 'plan_upgrade', 'start')
    sw('step', 'plan_upgrade', 'start')
    await page.wait(2000)
    const [first, second] = steps(page)
    expect(second.run).not.toBe(first.run)
  })

  it('keeps a run open across page loads', async () => {
    const sw = await page.loadTracker()
    sw('step', 'budget_setup', 'categories')
    await page.wait(2000)
    const next = await page.loadTracker()
    next('step', 'budget_setup', 'limits')
    await page.wait(2000)
    const [categories, limits] = steps(page)
    expect(limits.run).toBe(categories.run)
    expect(limits.value).toBe(2)
  })

  it('reports a run idle past 30 minutes as abandoned on the next visit', async () => {
    const sw = await page.loadTracker()
    sw('step', 'account_linking', 'verify')
    await page.wait(2000)
    const left = Date.now() - 2000
    await page.wait(31 * 60_000)
    await page.loadTracker()
    await page.wait(2000)
    const lapsed = steps(page)[1]
    expect(lapsed).toMatchObject({
      step: 'verify',
      status: 'abandoned',
      reason: 'timeout',
      run: steps(page)[0].run,
      ts: left + 30 * 60_000,
      id: steps(page)[0].run + '.x',
    })
  })

  it('opens a new run for a step after the window has lapsed', async () => {
    const sw = await page.loadTracker()
    sw('step', 'account_linking', 'connect')
    await page.wait(31 * 60_000)
    sw('step', 'account_linking', 'verify')
    await page.wait(2000)
    const [connect, lapse, verify] = steps(page)
    expect(lapse).toMatchObject({ run: connect.run, status: 'abandoned', reason: 'timeout' })
    expect(verify.run).not.toBe(connect.run)
  })
})
