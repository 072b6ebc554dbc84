/**
 * What a `revenue` event must be beyond its shape (DESIGN §7.9), judged per event like the rest
 * of ingest: a known name, the site's currency (amounts are never summed across currencies), a
 * sign that fits the name, and a billing interval the MRR can be computed from.
 */
import { REVENUE_INTERVALS, REVENUE_NAMES, type Event, type Rejection } from '../schemas'

/**
 * `value` is the amount charged, in the site's currency: 0 or more for every name but `refund`,
 * whose value is the amount given back as a negative number (-9.99), so that the sum of a
 * user's values is what they paid. A cancellation charges nothing: value 0.
 */
export function checkRevenue(e: Event, currency: string): Omit<Rejection, 'index'> | undefined {
  if (e.type !== 'revenue') return
  if (!(REVENUE_NAMES as readonly string[]).includes(e.name!)) {
    return {
      code: 'unknown_revenue_name',
      message: `revenue name must be one of ${REVENUE_NAMES.join(', ')}, not "${e.name}"`,
    }
  }
  if (e.currency !== currency) {
    return {
      code: 'currency_mismatch',
      message: `currency ${e.currency} is not the site's currency ${currency}; send amounts in ${currency} (config.currency)`,
    }
  }
  if (e.name === 'refund' ? e.value! > 0 : e.value! < 0) {
    return e.name === 'refund'
      ? {
          code: 'positive_refund',
          message: 'a refund is the amount given back, as a negative value such as -9.99',
        }
      : {
          code: 'negative_amount',
          message: `${e.name} charges 0 or more; only a refund has a negative value`,
        }
  }
  const interval = e.props?.interval
  if (interval !== undefined && !(REVENUE_INTERVALS as readonly unknown[]).includes(interval)) {
    return {
      code: 'invalid_interval',
      message: `props.interval must be "month" (the default) or "year"`,
    }
  }
}
