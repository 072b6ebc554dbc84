/**
 * `/demo`: the demo bank page (source in tracker/demo/, built into the static assets). Its
 * snippet needs the public key of the site `demo-bank`, which `npm start` creates with a
 * random key, so the page is served through here with the key filled in. Its script and
 * styles under /demo/ are passed through to the static assets.
 */
import { Hono } from 'hono'
import { shardFor } from '../db/shards'
import { findSite } from '../db/sites'
import type { AppEnv } from '../env'

export const DEMO_SITE_ID = 'demo-bank'
const PLACEHOLDER = '__STEPWISE_SITE__'

/**
 * The page runs only its own scripts and talks only to this Worker. Its address goes to no
 * other site; `no-referrer` would also make browsers send `Origin: null` with the tracker's
 * same-origin beacon, which ingest must refuse.
 */
const HEADERS = {
  'Content-Type': 'text/html; charset=utf-8',
  'Cache-Control': 'no-store',
  'Content-Security-Policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'same-origin',
}

const demo = new Hono<AppEnv>()
  .get('/:file{[\\w-]+\\.(js|css)}', (c) => {
    if (!c.env.ASSETS) return c.notFound()
    return c.env.ASSETS.fetch(c.req.raw)
  })
  .get('*', async (c) => {
    const site = await findSite(shardFor(c.env, DEMO_SITE_ID), DEMO_SITE_ID)
    if (!site) {
      return c.html(
        page(
          'The demo bank does not exist yet',
          `This page reports to the site "${DEMO_SITE_ID}", which this Stepwise does not have. ` +
            'Run "npm start" on an empty database (it creates the demo bank with its data), or ' +
            `create the site yourself: POST /v1/admin/sites {"id": "${DEMO_SITE_ID}", "name": ` +
            '"Demo Bank", "allowed_origins": ["http://localhost:8787"]}.',
        ),
        404,
        HEADERS,
      )
    }
    const asset = c.env.ASSETS && (await c.env.ASSETS.fetch(new URL('/demo/', c.req.url)))
    const html = asset?.ok ? await asset.text() : ''
    if (!html.includes(PLACEHOLDER)) {
      return c.html(
        page('The demo page is not built', 'Run "npm run build" (or "npm start") first.'),
        503,
        HEADERS,
      )
    }
    // Public keys are URL-safe tokens; escaping anyway keeps the attribute sound whatever is stored.
    return c.html(html.replace(PLACEHOLDER, escapeHtml(site.public_key)), 200, HEADERS)
  })

function page(title: string, message: string): string {
  return `<!doctype html><meta charset="utf-8"><title>${escapeHtml(title)}</title><h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p>`
}

function escapeHtml(s: string): string {
  return s.replace(
    /[&<>"']/g,
    (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!,
  )
}

export default demo
