/**
 * Builds the tracker into one minified IIFE, `t.js` plus a content-hashed copy to pin
 * (`t.<hash>.js`), and the demo bank page's assets into `demo/`. Returns the tracker's code
 * so the size test and the benchmark measure exactly what is served. Files are replaced
 * atomically and only when changed, so a server reading them never sees half a file.
 */
import { build } from 'esbuild'
import { createHash } from 'node:crypto'
import {
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
import { join } from 'node:path'
import { brotliCompressSync, constants, gzipSync } from 'node:zlib'

const HERE = new URL('.', import.meta.url).pathname

const bundle = (entry: string, extra: Parameters<typeof build>[0] = {}) =>
  build({
    entryPoints: [entry],
    bundle: true,
    minify: true,
    format: 'iife',
    target: 'es2020',
    write: false,
    legalComments: 'none',
    ...extra,
  }).then((r) => r.outputFiles![0].text)

export function bundleTracker(): Promise<string> {
  return bundle(join(HERE, 'src', 'index.ts'), {
    // Sloppy mode is safe here (every entry point catches) and saves the directive's bytes.
    tsconfigRaw: { compilerOptions: { alwaysStrict: false } },
  })
}

/** Sizes as a browser would fetch the file: raw, gzip -9, and brotli at its best. */
export function compressedSizes(code: string): { raw: number; gzip: number; brotli: number } {
  return {
    raw: Buffer.byteLength(code),
    gzip: gzipSync(code, { level: 9 }).length,
    brotli: brotliCompressSync(code, {
      params: { [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY },
    }).length,
  }
}

export async function buildTracker(outDir: string): Promise<{ code: string; hashed: string }> {
  const code = await bundleTracker()
  const hashed = `t.${createHash('sha256').update(code).digest('hex').slice(0, 10)}.js`
  mkdirSync(join(outDir, 'demo'), { recursive: true })
  put(join(outDir, 't.js'), code)
  put(join(outDir, hashed), code)
  for (const f of readdirSync(outDir))
    if (/^t\.[0-9a-f]+\.js$/.test(f) && f != hashed) rmSync(join(outDir, f))
  // The demo page: its HTML (the Worker fills in the site key), styles and script.
  for (const f of ['index.html', 'demo.css'])
    put(join(outDir, 'demo', f), readFileSync(join(HERE, 'demo', f), 'utf8'))
  put(join(outDir, 'demo', 'demo.js'), await bundle(join(HERE, 'demo', 'demo.ts')))
  return { code, hashed }
}

/**
 * The npm package (tracker/package.json, `stepwise/tracker`): the same modules as t.js as one
 * ES module with named exports and no globals, and its types, into tracker/dist.
 */
export async function buildPackage(outDir = join(HERE, 'dist')): Promise<string> {
  const code = await bundle(join(HERE, 'src', 'package.ts'), {
    format: 'esm',
    minify: false,
    minifySyntax: true,
  })
  mkdirSync(outDir, { recursive: true })
  put(join(outDir, 'tracker.js'), code)
  put(join(outDir, 'tracker.d.ts'), TYPES)
  return code
}

const TYPES = `/** Stepwise's tracker for bundled web apps (tracker/README.md, "npm package"). */
export type InitOptions = {
  /** The site's public key, \`pk_…\`. */
  site: string
  /** The collector endpoint, e.g. \`https://stepwise.example/v1/events\`. */
  api: string
  /** Count pageviews, on load and on every single-page navigation (default true). */
  pageviews?: boolean
  /** Also set \`window.sw\`, as the script tag does (default false). */
  global?: boolean
}
type Options = Record<string, unknown>
/** Starts tracking once; a second call changes nothing. Never throws. */
export declare function init(options: InitOptions): void
/** Every call of the script tag's \`sw(...)\`. Never throws. */
export declare function track(command: 'identify', uid: string, options?: { tier?: string } & Options): void
export declare function track(command: 'step', workflow: string, step: string, options?: Options): void
export declare function track(command: 'complete', workflow: string, options?: Options): void
export declare function track(command: 'abandon', workflow: string, reason?: string, options?: Options): void
export declare function track(command: 'feedback', feature: string, rating: number, options?: Options): void
export declare function track(command: 'metric', name: string, value: number, options?: Options): void
export declare function track(
  command: 'feature' | 'stage' | 'conversion' | 'connection',
  name: string,
  options?: Options,
): void
export declare function track(command: 'consent', given: boolean): void
/** Sends what waits now, by beacon. */
export declare function sendNow(): void
/** Counts a pageview for the current path (with \`pageviews: false\`). */
export declare function pageview(): void
`

function put(file: string, content: string): void {
  if (existsSync(file) && readFileSync(file, 'utf8') == content) return
  writeFileSync(`${file}.tmp`, content)
  renameSync(`${file}.tmp`, file)
}
