/**
 * Where a failed connection's trouble lies (DESIGN §7.8): the person (`user`), the bank
 * (`institution`), the data aggregator between us and the bank (`aggregator`), or our own app
 * (`app`). Plaid and MX report these classes; success excluding user errors — Plaid's
 * convention — leaves out what no fix on our side or the bank's can change. Config
 * `error_sources` maps further reasons or overrides these; anything else is `unknown`.
 */
import type { ERROR_SOURCES } from '../../wire-lists'

export type ErrorSource = (typeof ERROR_SOURCES)[number]

const BY_SOURCE: Record<Exclude<ErrorSource, 'unknown'>, string[]> = {
  user: [
    'invalid_credentials',
    'wrong_credentials',
    'credentials_expired',
    'login_required',
    'mfa_timeout',
    'mfa_failed',
    'mfa_required',
    'user_cancelled',
    'cancelled',
    'closed_modal',
    'consent_revoked',
    'consent_expired',
    'account_locked',
    'insufficient_permissions',
    'no_accounts',
  ],
  institution: [
    'institution_error',
    'institution_down',
    'institution_unavailable',
    'institution_not_responding',
    'institution_timeout',
    'maintenance',
    'bank_error',
    'timeout',
  ],
  aggregator: [
    'aggregator_error',
    'aggregator_timeout',
    'provider_error',
    'connector_error',
    'rate_limited',
    'api_error',
  ],
  app: ['app_error', 'internal_error', 'invalid_request', 'client_error', 'configuration_error'],
}

export const DEFAULT_ERROR_SOURCES: ReadonlyMap<string, ErrorSource> = new Map(
  Object.entries(BY_SOURCE).flatMap(([source, reasons]) =>
    reasons.map((r) => [r, source as ErrorSource] as const),
  ),
)

export type SourceOf = (status: string, reason: string) => ErrorSource

/**
 * The lookup for one site: its `error_sources` over the defaults. An outcome without a reason
 * is the user's when abandoned (they walked away) and `unknown` when failed.
 */
export function errorSources(overrides: Record<string, ErrorSource>): SourceOf {
  const map = new Map([...DEFAULT_ERROR_SOURCES, ...Object.entries(overrides)])
  return (status, reason) =>
    reason ? (map.get(reason) ?? 'unknown') : status === 'abandoned' ? 'user' : 'unknown'
}
