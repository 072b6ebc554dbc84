/**
 * One user's prediction (DESIGN §7.10) in a side drawer: engagement 0–100, churn probability
 * and risk, the top three factors as additive contributions (log-odds: with the baseline and
 * the other factors they add up to the user's logit), three features to try next with why, and
 * the user's recent days. Escape or Close closes it; Close takes the focus when it opens.
 */
import { useEffect, useRef } from 'preact/hooks'
import type { UserInsightsResponse } from '../api/types'
import type { ApiResource } from '../hooks/use-api'
import { factorLabel, factorPhrase, factorShare, formatContribution } from '../lib/churn-factors'
import {
  formatCount,
  formatDay,
  formatMoney,
  formatNumber,
  formatPercent,
  formatScore,
  humanize,
  NONE,
} from '../lib/format'
import { formatTimes } from '../lib/model-card'
import { RiskBadge } from './at-risk-table'
import { Bar } from './bits'
import { Loaded } from './states'

const count = (n: number, one: string) => `${formatCount(n)} ${one}${n === 1 ? '' : 's'}`

type Props = { uid: string; res: ApiResource<UserInsightsResponse>; onClose: () => void }

export function UserDrawer({ uid, res, onClose }: Props) {
  const close = useRef<HTMLButtonElement>(null)
  useEffect(() => {
    close.current?.focus()
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && onClose()
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [onClose])
  return (
    <div class="drawer" role="dialog" aria-label={`User ${uid}`}>
      <header class="drawer-head">
        <h2>{uid}</h2>
        <button type="button" class="link-button" ref={close} onClick={onClose}>
          Close
        </button>
      </header>
      <Loaded res={res}>{(u) => <Insights u={u} />}</Loaded>
    </div>
  )
}

function Insights({ u }: { u: UserInsightsResponse }) {
  return (
    <>
      <dl class="drawer-facts">
        <div>
          <dt>Engagement</dt>
          <dd>{formatScore(u.engagement)} / 100</dd>
        </div>
        <div>
          <dt>Churn probability</dt>
          <dd>{formatPercent(u.churn_probability)}</dd>
        </div>
        <div>
          <dt>Risk</dt>
          <dd>{u.risk ? <RiskBadge risk={u.risk} /> : NONE}</dd>
        </div>
        <div>
          <dt>Revenue at risk</dt>
          <dd>{formatMoney(u.revenue_at_risk, u.currency)}</dd>
        </div>
      </dl>
      {u.churn_probability === null && <p class="muted no-probability">{u.reason}</p>}
      <h3>Why</h3>
      {u.factors.length ? <Factors u={u} /> : <p class="muted">No factors: not scored.</p>}
      <h3>Try next</h3>
      {u.recommendations.length ? (
        <ol class="recommendations">
          {u.recommendations.map((r) => (
            <li key={r.feature}>
              <strong>{humanize(r.feature)}</strong>{' '}
              <span class="muted">
                — this tier's users of {humanize(r.because)} use it {formatTimes(r.lift)} as often
                as the tier overall
              </span>
            </li>
          ))}
        </ol>
      ) : (
        <p class="muted">No feature passes the co-usage rules for this user's tier yet.</p>
      )}
      <h3>Recent activity</h3>
      {u.recent_activity.length ? (
        <ul class="recent">
          {u.recent_activity.map((d) => (
            <li key={d.day}>
              <span class="muted">{formatDay(d.day)}</span> {count(d.events, 'event')},{' '}
              {count(d.sessions, 'session')}, {count(d.features, 'feature use')}
              {d.revenue ? `, ${formatMoney(d.revenue, u.currency)}` : ''}
            </li>
          ))}
        </ul>
      ) : (
        <p class="muted">No events in the last 14 days.</p>
      )}
    </>
  )
}

function Factors({ u }: { u: UserInsightsResponse }) {
  const shown = u.factors.reduce((s, f) => s + f.contribution, 0)
  return (
    <>
      <div class="factors">
        {u.factors.map((f) => (
          <div class="bar-row" key={f.feature} title={factorPhrase(f)}>
            <span>
              {factorLabel(f.feature)} <span class="muted">{formatNumber(f.value)}</span>
            </span>
            <Bar
              share={factorShare(f, u.factors)}
              tone={f.contribution > 0 ? 'bad' : 'good'}
              label={factorPhrase(f)}
            />
            <span class="num">{formatContribution(f.contribution)}</span>
          </div>
        ))}
      </div>
      <p class="muted factor-sum">
        Baseline {formatContribution(u.baseline)}, these three {formatContribution(shown)}, the
        other factors {formatContribution(u.other_contribution)}: logit{' '}
        {formatContribution(u.logit)}, a churn probability of {formatPercent(u.churn_probability)}.
      </p>
    </>
  )
}
