/**
 * `npm start`: the whole system on http://localhost:8787. Builds the static assets, applies
 * the local D1 migrations to every shard (DB, DB_2), creates the demo bank with a month of
 * data if DB is empty and a small credit union in DB_2 if that is, then runs `wrangler dev`
 * and prints the dashboard links, the keys and the snippet.
 */
import { spawn } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { applyLocalMigrationsToShards } from './apply-migrations'
import { build } from './build'
import { createDemoSite, DEMO_KEYS_FILE, SHARD_DEMO_KEYS_FILE, type DemoKeys } from './demo/site'
import { RECEIVER_PORT, startReceiver } from './webhook-receiver'

const PORT = 8787
const URL = `http://localhost:${PORT}`
const WRANGLER = join('node_modules', '.bin', 'wrangler')
const env = { ...process.env, WRANGLER_SEND_METRICS: 'false' }

function step(what: string) {
  console.log(`\n▸ ${what}`)
}

step('Building the dashboard and tracker')
await build()

if (!existsSync('.dev.vars')) {
  const token = [...crypto.getRandomValues(new Uint8Array(24))]
    .map((b) => b.toString(16).padStart(2, '0'))
    .join('')
  writeFileSync(
    '.dev.vars',
    `# Local secrets for wrangler dev (never commit)\nADMIN_TOKEN=${token}\n`,
  )
  step('Wrote .dev.vars with a fresh ADMIN_TOKEN')
}
// Local only: webhooks may go to http://localhost (the receiver below), and carry links here.
const devVars = readFileSync('.dev.vars', 'utf8')
const LOCAL_VARS = { DEV_ALLOW_LOCAL_WEBHOOKS: '1', PUBLIC_URL: URL }
const missing = Object.entries(LOCAL_VARS).filter(([k]) => !new RegExp(`^${k}=`, 'm').test(devVars))
if (missing.length) {
  const lines = missing.map(([k, v]) => `${k}=${v}`).join('\n')
  writeFileSync('.dev.vars', `${devVars.trimEnd()}\n${lines}\n`)
}

step('Applying D1 migrations (local, every shard)')
applyLocalMigrationsToShards(WRANGLER, env)

const kept = (file: string): DemoKeys | undefined =>
  existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : undefined
const created = await createDemoSite({
  log: step,
  webhookUrl: `http://localhost:${RECEIVER_PORT}/webhook`,
})
const keys = created.bank ?? kept(DEMO_KEYS_FILE)
const creditUnion = created.creditUnion ?? kept(SHARD_DEMO_KEYS_FILE)

step(`Webhook receiver on http://localhost:${RECEIVER_PORT}/webhook: prints each alert it gets`)
startReceiver(() => keys?.webhook_secret)

step(`Starting wrangler dev on ${URL}`)
const dev = spawn(WRANGLER, ['dev', '--port', String(PORT), '--ip', '127.0.0.1'], {
  stdio: 'inherit',
  env,
})
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => dev.kill(signal))
dev.on('exit', (code) => process.exit(code ?? 0))

await waitForServer(`${URL}/v1/health`)
const adminToken = readFileSync('.dev.vars', 'utf8').match(/ADMIN_TOKEN=(\S+)/)?.[1]
console.log(banner(keys, creditUnion, adminToken))
// wrangler dev 4.86 cannot fire cron on a Worker with static assets (workers-sdk#9882):
// run the same jobs through the admin API now and every minute, so new events reach the
// rollups and alerts are evaluated (the demo's degraded bank fires at once).
const runJobs = () =>
  fetch(`${URL}/v1/admin/jobs/run`, {
    method: 'POST',
    headers: { authorization: `Bearer ${adminToken}` },
  }).catch(() => {})
void runJobs()
setInterval(runJobs, 60_000)

async function waitForServer(url: string) {
  for (let i = 0; i < 240; i++) {
    try {
      if ((await fetch(url)).ok) return
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 500))
  }
}

function banner(
  k: DemoKeys | undefined,
  second: DemoKeys | undefined,
  admin: string | undefined,
): string {
  const lines = [
    '',
    '━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━',
    ' Stepwise is running',
    '',
  ]
  if (k) {
    lines.push(
      ` Dashboard (signs you in):  ${URL}/#key=${k.read}`,
      ` Demo bank page:            ${URL}/demo`,
      '',
      ` Demo site:   ${k.site_id}`,
      ` Public key:  ${k.public}`,
      ` Read key:    ${k.read}`,
      ` Ingest key:  ${k.ingest}`,
      ` Admin key:   ${k.admin}`,
      '',
      ' Snippet for your page:',
      `   <script defer src="${URL}/t.js" data-site="${k.public}"></script>`,
      `   <script>window.sw=window.sw||function(){(sw.q=sw.q||[]).push(arguments)}</script>`,
    )
    if (second) {
      lines.push(
        '',
        ` A second site, ${second.site_id}, lives in the second D1 database (DB_2, SITE_SHARDS):`,
        ` Its dashboard:             ${URL}/#key=${second.read}`,
      )
    }
  } else {
    lines.push(
      ' The database already had sites, but no demo keys file was found; create a site with',
      ` POST ${URL}/v1/admin/sites.`,
    )
  }
  if (admin) lines.push('', ` ADMIN_TOKEN (from .dev.vars): ${admin}`)
  lines.push(
    '━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━',
    '',
  )
  return lines.join('\n')
}
