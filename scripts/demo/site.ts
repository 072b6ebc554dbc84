/**
 * Creates the demo bank in the LOCAL D1 (through wrangler's platform proxy, i.e. the same
 * workerd-backed database `wrangler dev` uses) when no site exists yet, loads its data and
 * builds its rollups. The keys are hashed in D1 like any other; their clear text is kept in
 * .wrangler/ (gitignored, local only) so `npm start` can print them every time.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { getPlatformProxy } from 'wrangler'
import { newKey } from '../../worker/db/keys'
import { DEMO_SITE_ID } from '../../worker/routes/demo'
import { shardFor } from '../../worker/db/shards'
import type { Env } from '../../worker/env'
import { insertSiteStatements, putConfigStatement } from '../../worker/db/sites'
import { rotateSecretStatement } from '../../worker/db/webhooks'
import { newWebhookSecret } from '../../worker/alerts/signing'
import { randomToken } from '../../worker/lib/crypto'
import { rebuildDirtyDays } from '../../worker/rollups'
import { SiteConfigSchema } from '../../worker/schemas'
import type { DemoOptions } from './generate'
import { demoConfig } from './catalog'
import { loadDemo } from './load'

export const DEMO_KEYS_FILE = '.wrangler/demo-keys.json'
/**
 * A second, smaller demo site that wrangler.toml's SITE_SHARDS puts in the second D1 database
 * (DB_2), so `npm start` shows two shards at work (docs/scaling.md).
 */
export const SHARD_DEMO_SITE_ID = 'demo-credit-union'
export const SHARD_DEMO_KEYS_FILE = '.wrangler/demo-credit-union-keys.json'
export type DemoKeys = {
  site_id: string
  public: string
  read: string
  ingest: string
  admin: string
  /** The demo receiver's signing secret, when the demo sends webhooks (npm start). */
  webhook_secret?: string
}

/** Makes the site, its keys and its data in `db`, and builds every rollup day. */
export async function seedDemoSite(
  db: D1Database,
  opts: Omit<DemoOptions, 'siteId'> & { siteId?: string; name?: string; webhookUrl?: string } = {},
): Promise<DemoKeys & { events: number }> {
  const site = {
    id: opts.siteId ?? DEMO_SITE_ID,
    name: opts.name ?? 'Demo Bank',
    public_key: `pk_${randomToken(18)}`,
    created_at: Date.now(),
  }
  const [admin, read, ingest] = await Promise.all(
    (['admin', 'read', 'ingest'] as const).map((role) =>
      newKey(db, site.id, role, `demo ${role} key`),
    ),
  )
  await db.batch([
    ...insertSiteStatements(db, site, SiteConfigSchema.parse({})),
    admin.statement,
    read.statement,
    ingest.statement,
  ])
  const { events } = await loadDemo(db, { ...opts, siteId: site.id })
  // Alerts tell the local receiver; written here, past the save-time URL check, which refuses
  // http://localhost unless the Worker runs with DEV_ALLOW_LOCAL_WEBHOOKS (it does locally).
  const webhook_secret = opts.webhookUrl ? newWebhookSecret() : undefined
  if (opts.webhookUrl && webhook_secret) {
    await db.batch([
      putConfigStatement(db, site.id, { ...demoConfig(), webhook_url: opts.webhookUrl }),
      rotateSecretStatement(db, site.id, webhook_secret, Date.now()),
    ])
  }
  // The loader marks every day it wrote as dirty; build their rollups now, not at the first cron
  // (locally, where D1 counts no queries).
  while ((await rebuildDirtyDays(db, { left: Infinity })).length > 0);
  return {
    site_id: site.id,
    public: site.public_key,
    read: read.key,
    ingest: ingest.key,
    admin: admin.key,
    ...(webhook_secret ? { webhook_secret } : {}),
    events,
  }
}

/**
 * `npm start`'s step: the demo bank, if the local database has no site yet, and the smaller
 * credit union in the shard the map names for it, if that shard has none; returns the keys of
 * each site it made.
 */
export async function createDemoSite({
  log,
  webhookUrl,
}: {
  log: (s: string) => void
  webhookUrl?: string
}): Promise<{ bank?: DemoKeys; creditUnion?: DemoKeys }> {
  const proxy = await getPlatformProxy<Env>({ configPath: 'wrangler.toml' })
  try {
    const made: { bank?: DemoKeys; creditUnion?: DemoKeys } = {}
    const db = proxy.env.DB
    if (!(await hasSites(db))) {
      log('Empty database: creating the demo bank: a month of its app, six months of subscriptions')
      made.bank = await seed(db, DEMO_KEYS_FILE, log, { webhookUrl })
    }
    const shard = shardFor(proxy.env, SHARD_DEMO_SITE_ID)
    if (shard !== db && !(await hasSites(shard))) {
      log(`Empty second shard: creating the demo credit union (${SHARD_DEMO_SITE_ID}) in it`)
      made.creditUnion = await seed(shard, SHARD_DEMO_KEYS_FILE, log, {
        siteId: SHARD_DEMO_SITE_ID,
        name: 'Demo Credit Union',
        users: 300,
        seed: 7,
      })
    }
    return made
  } finally {
    await proxy.dispose()
  }
}

async function hasSites(db: D1Database): Promise<boolean> {
  return (await db.prepare('SELECT count(*) AS n FROM sites').first<number>('n'))! > 0
}

async function seed(
  db: D1Database,
  file: string,
  log: (s: string) => void,
  opts: Parameters<typeof seedDemoSite>[1],
): Promise<DemoKeys> {
  const started = Date.now()
  const { events, ...keys } = await seedDemoSite(db, opts)
  log(
    `Loaded ${events.toLocaleString('en')} events in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  )
  mkdirSync('.wrangler', { recursive: true })
  writeFileSync(file, JSON.stringify(keys, null, 2))
  return keys
}
