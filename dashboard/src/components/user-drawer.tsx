/**
 * One user's prediction (DESIGN §7.10) in a side drawer: engagement 0–100, churn probability
 * and risk, the top three factors as additive contributions (log-odds, so they add up with the
 * intercept to the user's score), three features to recommend with why, and recent activity.
 * Escape or the Close button closes it.
 */
import { useEffect } from 'preact/hooks'
import { factorPhrase, factorShare, formatContribution, type Factor } from '../lib/churn-factors'
import { formatDateTime, formatPercent, formatScore, humanize, NONE } from '../lib/format'
import { Bar } from './bits'
import { RiskBadge, type Risk } from './at-risk-table'

export type UserInsightView = {
  uid: string
  engagement_score: number | null
  /** null when the model card says insufficient_data: no probability, no risk. */
  churn_probability: number | null
  risk: Risk | null
  factors: Factor[]
  recommendations: { feature: string; why: string }[]
  recent: { t: number; name: string; detail?: string | null }[]
}

type Props = { user: UserInsightView; onClose: () => void; now?: number }

export function UserDrawer({ user, onClose, now = Date.now() }: Props) {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && onClose()
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [onClose])
  const factors = user.factors.slice(0, 3)
  return (
    <div class="drawer" role="dialog" aria-label={`User ${user.uid}`} data-testid="user-drawer">
      <header class="drawer-head">
        <h2>{user.uid}</h2>
        <button type="button" class="link-button" onClick={onClose}>
          Close
        </button>
      </header>
      <dl class="drawer-facts">
        <div>
          <dt>Engagement</dt>
          <dd>{formatScore(user.engagement_score)} / 100</dd>
        </div>
        <div>
          <dt>Churn probability</dt>
          <dd>{formatPercent(user.churn_probability)}</dd>
        </div>
        <div>
          <dt>Risk</dt>
          <dd>{user.risk ? <RiskBadge risk={user.risk} /> : NONE}</dd>
        </div>
      </dl>
      <h3>Why</h3>
      {factors.length ? (
        <div class="factors">
          {factors.map((f) => (
            <div class="bar-row" key={f.feature} title={factorPhrase(f)}>
              <span>{humanize(f.feature)}</span>
              <Bar
                share={factorShare(f, factors)}
                tone={f.contribution > 0 ? 'bad' : 'good'}
                label={factorPhrase(f)}
              />
              <span class="num">{formatContribution(f.contribution)}</span>
            </div>
          ))}
        </div>
      ) : (
        <p class="muted">No factors: the model has not scored this user.</p>
      )}
      <p class="muted">
        Contributions in log-odds (coefficient × (value − mean)); with the intercept they add up to
        the user's score.
      </p>
      <h3>Recommend</h3>
      {user.recommendations.length ? (
        <ol class="recommendations">
          {user.recommendations.slice(0, 3).map((r) => (
            <li key={r.feature}>
              <strong>{humanize(r.feature)}</strong> <span class="muted">{r.why}</span>
            </li>
          ))}
        </ol>
      ) : (
        <p class="muted">No feature passes the co-usage rules for this user's tier yet.</p>
      )}
      <h3>Recent activity</h3>
      {user.recent.length ? (
        <ul class="recent">
          {user.recent.map((e, i) => (
            <li key={i}>
              <span class="muted">{formatDateTime(e.t, now)}</span> {humanize(e.name)}
              {e.detail ? <span class="muted"> · {e.detail}</span> : null}
            </li>
          ))}
        </ul>
      ) : (
        <p class="muted">No events in the last 30 days.</p>
      )}
    </div>
  )
}
