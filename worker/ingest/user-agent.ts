/**
 * What the collector reads from a user agent before forgetting it: bot or not, and the
 * device class stored on each event (DESIGN §3). The user agent itself is never stored.
 */
import type { EventRow } from '../schemas'

const BOT =
  /bot|crawl|spider|slurp|archiver|facebookexternalhit|headless|phantom|selenium|puppeteer|playwright|lighthouse|pingdom|uptime|monitor|preview|scrape|python-requests|go-http-client|java\//i

/** A missing user agent counts as a bot: every browser sends one. */
export function isBot(ua: string | undefined): boolean {
  return !ua || BOT.test(ua)
}

export function deviceOf(ua: string | undefined): EventRow['device'] {
  if (!ua) return undefined
  if (/iPad|Tablet|PlayBook|Silk|Android(?!.*Mobi)/i.test(ua)) return 'tablet'
  if (/Mobi|iPhone|iPod|Android|Windows Phone/i.test(ua)) return 'mobile'
  return 'desktop'
}
