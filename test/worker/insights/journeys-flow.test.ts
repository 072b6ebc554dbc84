/**
 * The journeys view's Sankey and its stage table count the same people (issue 15): `flow` into
 * a stage is that stage's `reached`, a stage's bands out never exceed it, and the churn bands
 * plus those who churned before any ordered stage are the churn row — on a dataset with a
 * customer first seen at a later stage (no awareness event), one who stops at awareness, one
 * who moves back, a churner, a churn-only user, and an anonymous history linked by identify.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import type { StoredEvent } from './stored-events'
import { at, getJson, readableSite, store } from './stored-events'

const DAY = 86_400_000
const D0 = at('2026-03-02T09:00:00Z')
const PERIOD = 'from=2026-03-02&to=2026-03-31'

const stage = (uid: string, day: number, s: string) =>
  ({ type: 'stage', stage: s, uid, ts: D0 + day * DAY }) as StoredEvent

let site: string
let key: string

beforeAll(async () => {
  const s = await readableSite()
  site = s.site.id
  key = s.key
  await store(site, [
    // new: aware, considers, onboards
    stage('new', 0, 'awareness'),
    stage('new', 1, 'consideration'),
    stage('new', 2, 'onboarding'),
    // looker: aware and no further
    stage('looker', 0, 'awareness'),
    // existing: a customer the app re-reports at feature_usage, with no earlier stage event
    stage('existing', 3, 'feature_usage'),
    // back: reaches feature_discovery, moves back to onboarding
    stage('back', 0, 'awareness'),
    stage('back', 1, 'onboarding'),
    stage('back', 2, 'feature_discovery'),
    stage('back', 3, 'onboarding'),
    // quitter: aware, considers, churns
    stage('quitter', 0, 'awareness'),
    stage('quitter', 1, 'consideration'),
    stage('quitter', 2, 'churn'),
    // gone: churn is their only stage event
    stage('gone', 4, 'churn'),
    // anon_7 is aware and considers anonymously, signs in as cust_7 (the link), onboards
    stage('anon_7', 5, 'awareness'),
    stage('anon_7', 5.5, 'consideration'),
    {
      type: 'identify',
      uid: 'cust_7',
      ts: D0 + 6 * DAY,
      props: JSON.stringify({ anon_id: 'anon_7' }),
    } as StoredEvent,
    stage('cust_7', 6.1, 'onboarding'),
  ])
})

type Row = { stage: string; reached: number }
type Band = { from: string; to: string; users: number }

describe('GET /journeys: the Sankey and the stage table', () => {
  it('draws each stage as the people the table says reached it', async () => {
    const { status, body } = await getJson(`/v1/sites/${site}/journeys?${PERIOD}`, key)
    expect(status).toBe(200)
    const reached = new Map<string, number>(body.stages.map((s: Row) => [s.stage, s.reached]))
    // seven people, the linked anonymous one once; gone reached no ordered stage
    expect(body.entered).toBe(7)
    expect([...reached]).toEqual([
      ['awareness', 6],
      ['consideration', 5],
      ['onboarding', 4],
      ['feature_discovery', 2],
      ['feature_usage', 1],
      ['advanced_usage', 0],
      ['advocacy', 0],
      ['churn', 2],
    ])
    expect(body.flow).toEqual([
      { from: 'awareness', to: 'consideration', users: 5 },
      { from: 'consideration', to: 'onboarding', users: 4 },
      { from: 'consideration', to: 'churn', users: 1 },
      { from: 'onboarding', to: 'feature_discovery', users: 2 },
      { from: 'feature_discovery', to: 'feature_usage', users: 1 },
    ])
    const into = (s: string) =>
      body.flow.filter((b: Band) => b.to === s).reduce((n: number, b: Band) => n + b.users, 0)
    const out = (s: string) =>
      body.flow.filter((b: Band) => b.from === s).reduce((n: number, b: Band) => n + b.users, 0)
    for (const [s, n] of reached) {
      if (s === 'awareness') expect(out(s)).toBeLessThanOrEqual(n)
      else if (s === 'churn')
        expect(into(s)).toBe(n - 1) // gone churned from no stage
      else {
        expect(into(s)).toBe(n)
        expect(out(s)).toBeLessThanOrEqual(n)
      }
    }
    // what the chart used to draw: moves between stage events, which miss `existing` and `looker`
    const moves = body.transitions
      .filter((t: any) => t.from === 'awareness')
      .reduce((n: number, t: any) => n + t.users, 0)
    expect(moves).toBe(4)
    expect(moves).toBeLessThan(reached.get('awareness')!)
  })
})
