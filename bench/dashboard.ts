/**
 * Dashboard bundle size (issue 5: initial JS ≤ 60 KB gzip). "Initial" is what index.html
 * loads before any view: its module scripts, their modulepreloads and their static imports.
 * The first screen adds the default view (Overview) and what it loads, uPlot for its chart.
 * Run alone with `npx tsx bench/dashboard.ts`; builds with Vite when dist/public has no build.
 */
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join, posix } from 'node:path'
import { gzipSync } from 'node:zlib'

export const DASHBOARD_BUDGET_BYTES = 60 * 1024
const OUT = join(process.cwd(), 'dist', 'public')

export type DashboardSize = {
  initialFiles: string[]
  allFiles: string[]
  initialGzip: number
  firstScreenGzip: number
  allJsGzip: number
  /** The stylesheet index.html links (view chunks may add their own, e.g. uPlot's). */
  cssGzip: number
}

const gz = (file: string) => gzipSync(readFileSync(join(OUT, file)), { level: 9 }).length

/** `import … from "./x.js"` and `export … from "./x.js"` in a built chunk, not `import()`. */
const STATIC_IMPORT =
  /(?:^|[;\s}])(?:import|export)\s*(?:[^'"`()]*?from\s*)?["'`]([^"'`]+\.js)["'`]/g
/** `import("./x.js")` (any quotes), and Vite's preload lists `["assets/x.js", …]`. */
const DYNAMIC_IMPORT = /import\(\s*["'`]([^"'`]+\.js)["'`]\s*\)|["'`](assets\/[^"'`]+\.js)["'`]/g

/** The chunks `entries` load, following static imports (and dynamic ones when asked). */
function reachable(entries: string[], dynamic = false): string[] {
  const seen = new Set<string>()
  const visit = (file: string) => {
    if (seen.has(file) || !existsSync(join(OUT, file))) return
    seen.add(file)
    const code = readFileSync(join(OUT, file), 'utf8')
    for (const m of code.matchAll(STATIC_IMPORT)) visit(posix.join(posix.dirname(file), m[1]))
    if (!dynamic) return
    for (const m of code.matchAll(DYNAMIC_IMPORT)) {
      visit(m[1] ? posix.join(posix.dirname(file), m[1]) : m[2])
    }
  }
  entries.forEach(visit)
  return [...seen]
}

/** The chunks one file loads with `import()` itself (not those of the chunks it imports). */
function dynamicOf(file: string): string[] {
  const code = readFileSync(join(OUT, file), 'utf8')
  return [...code.matchAll(/import\(\s*["'`]([^"'`]+\.js)["'`]\s*\)/g)].map((m) =>
    posix.join(posix.dirname(file), m[1]),
  )
}

export function measureDashboard(): DashboardSize {
  const html = readFileSync(join(OUT, 'index.html'), 'utf8')
  const refs = [
    ...html.matchAll(/<script[^>]*type="module"[^>]*src="\/([^"]+)"/g),
    ...html.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="\/([^"]+)"/g),
  ].map((m) => m[1])
  const initialFiles = reachable(refs)
  const all = reachable(refs, true)
  const overview = all.filter((f) => /\/overview-[^/]+\.js$/.test(f))
  // The view's own chunks and what they load lazily on mount (uPlot, through use-uplot's chunk);
  // the initial chunks' import()s are the other views.
  const overviewChunks = reachable(overview).filter((f) => !initialFiles.includes(f))
  const sum = (files: string[]) => files.reduce((n, f) => n + gz(f), 0)
  const css = [...html.matchAll(/<link[^>]*rel="stylesheet"[^>]*href="\/([^"]+)"/g)].map(
    (m) => m[1],
  )
  return {
    initialFiles,
    allFiles: all,
    initialGzip: sum(initialFiles),
    firstScreenGzip: sum(
      reachable([...initialFiles, ...overviewChunks, ...overviewChunks.flatMap(dynamicOf)]),
    ),
    allJsGzip: sum(all),
    cssGzip: sum(css),
  }
}

/**
 * Builds with Vite if dist/public has no build, prints the initial JS size, and returns the
 * numbers as rows for bench/index.ts (`['Dashboard', benchDashboard]`).
 */
export async function benchDashboard(): Promise<Record<string, string>> {
  if (!existsSync(join(OUT, 'index.html'))) {
    execFileSync(join('node_modules', '.bin', 'vite'), ['build', '--logLevel', 'warn'], {
      stdio: 'inherit',
    })
  }
  const size = measureDashboard()
  const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`
  const verdict = size.initialGzip <= DASHBOARD_BUDGET_BYTES ? 'within' : 'OVER'
  console.log(`dashboard initial JS: ${kb(size.initialGzip)} gzip (${verdict} the 60 KB budget)`)
  return {
    'initial JS (gzip)': `${kb(size.initialGzip)} (budget 60 KB)`,
    'first screen: + Overview and uPlot (gzip)': kb(size.firstScreenGzip),
    'all JS chunks (gzip)': kb(size.allJsGzip),
    'initial CSS (gzip)': kb(size.cssGzip),
  }
}

if (import.meta.url === `file://${process.argv[1]}`) console.table(await benchDashboard())
