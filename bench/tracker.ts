/**
 * The tracker beside its peers: bytes over the wire, each script minified the same way (esbuild,
 * as ours is) and compressed the same way (gzip -9, brotli at its best), taken from the npm
 * packages that ship them; and the main-thread time of 1,000 `sw()` calls in headless Chromium.
 * Run alone with `npx tsx bench/tracker.ts`; returns rows for bench/index.ts.
 */
import sparticuz from '@sparticuz/chromium'
import { transform } from 'esbuild'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium } from 'playwright-core'
import { CHROMIUM_ARGS } from '../test/node/support/chromium'
import { bundleTracker, compressedSizes } from '../tracker/build'

/** Peers' browser scripts: the npm package, its version, and the file a page would load. */
const PEERS: { name: string; pkg: string; file: string }[] = [
  { name: 'plausible', pkg: '@plausible-analytics/tracker', file: 'plausible.js' },
  { name: 'counterscale', pkg: '@counterscale/tracker', file: 'dist/loader/tracker.js' },
]
/**
 * Peers fetched on demand with `npm pack` (the tarball alone, no dependencies, not in `npm ci`):
 * posthog-js is ~55 MB installed with its dependencies, for one file; umami publishes its whole
 * server app (Next.js, Prisma, 50-odd dependencies) with the tracker only as unbuilt source.
 * Each file is minified like the rest. Offline, the row says "not fetched".
 */
const PACKED: { name: string; pkg: string; file: string }[] = [
  { name: 'posthog-js', pkg: 'posthog-js@1.449.2', file: 'package/dist/array.js' },
  { name: 'umami', pkg: 'umami@2.10.0', file: 'package/src/tracker/index.js' },
]

const fmt = (s: { raw: number; gzip: number; brotli: number }) =>
  `${s.raw} B raw, ${s.gzip} B gzip, ${s.brotli} B brotli`

async function minifiedSizes(source: string) {
  const { code } = await transform(source, { minify: true, legalComments: 'none' })
  return compressedSizes(code)
}

/** Read straight from node_modules: some packages' `exports` hide their package.json. */
function installed(pkg: string): { version: string; dir: string } {
  const dir = join(process.cwd(), 'node_modules', pkg)
  return { version: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).version, dir }
}

function packedSource(peer: { pkg: string; file: string }): string {
  const dir = mkdtempSync(join(tmpdir(), 'stepwise-peer-'))
  try {
    const tgz = execFileSync('npm', ['pack', peer.pkg, '--silent', '--pack-destination', dir], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 60_000,
    }).trim()
    execFileSync('tar', ['-xzf', join(dir, tgz), '-C', dir, peer.file])
    return readFileSync(join(dir, peer.file), 'utf8')
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** Median main-thread time of `calls` tracker calls made in one go on a fresh page. */
async function mainThreadMs(code: string, calls = 1000, rounds = 5): Promise<number[]> {
  const browser = await chromium.launch({
    executablePath: await sparticuz.executablePath(),
    args: CHROMIUM_ARGS,
  })
  const times: number[] = []
  try {
    for (let round = 0; round < rounds; round++) {
      const context = await browser.newContext()
      // The page, the script and the collector all answered in the browser: no network.
      await context.route('http://bank.bench/**', (route) => {
        const path = new URL(route.request().url()).pathname
        if (path == '/t.js') return route.fulfill({ body: code, contentType: 'text/javascript' })
        if (path == '/v1/events') return route.fulfill({ status: 202, body: '{}' })
        return route.fulfill({
          contentType: 'text/html',
          body: '<!doctype html><script src="/t.js" data-site="pk_bench"></script><p>bank</p>',
        })
      })
      const page = await context.newPage()
      await page.goto('http://bank.bench/accounts')
      times.push(
        await page.evaluate((n) => {
          const sw = (globalThis as unknown as { sw: (...a: unknown[]) => void }).sw
          const start = performance.now()
          for (let i = 0; i < n; i++)
            sw('feature', 'budget_tracking', { name: 'view_report', value: i, status: 'completed' })
          return performance.now() - start
        }, calls),
      )
      await context.close()
    }
  } finally {
    await browser.close()
  }
  return times.sort((a, b) => a - b)
}

export async function benchTracker(): Promise<Record<string, string>> {
  const code = await bundleTracker()
  const rows: Record<string, string> = {
    'stepwise t.js (as served)': fmt(compressedSizes(code)),
  }
  for (const peer of PEERS) {
    try {
      const { version, dir } = installed(peer.pkg)
      const source = readFileSync(join(dir, peer.file), 'utf8')
      rows[`${peer.name}: ${peer.pkg}@${version} ${peer.file}`] = fmt(await minifiedSizes(source))
    } catch (e) {
      rows[`${peer.name}: ${peer.pkg}`] = `not measured: ${(e as Error).message.split('\n')[0]}`
    }
  }
  for (const peer of PACKED) {
    const label = `${peer.name}: ${peer.pkg} ${peer.file.replace('package/', '')} (npm pack)`
    try {
      rows[label] = fmt(await minifiedSizes(packedSource(peer)))
    } catch (e) {
      rows[label] = `not fetched (npm pack failed: ${(e as Error).message.split('\n')[0]})`
    }
  }
  const times = await mainThreadMs(code)
  const median = times[Math.floor(times.length / 2)]
  rows['1,000 sw() calls, main thread, Chromium (median of 5)'] =
    `${median.toFixed(1)} ms (${median.toFixed(0)} µs a call; runs ${times.map((t) => t.toFixed(1)).join(', ')} ms)`
  return rows
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log('| metric | value |\n|---|---|')
  for (const [metric, value] of Object.entries(await benchTracker()))
    console.log(`| ${metric} | ${value} |`)
}
