/**
 * `npm run build`: everything the Worker serves as static assets, into dist/public.
 * The tracker (t.js and a content-hashed copy for pinning), the dashboard (Vite), and the
 * `_headers` file that gives them their cache and Content-Security-Policy headers.
 */
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { buildPackage, buildTracker } from '../tracker/build'

export const OUT = join(process.cwd(), 'dist', 'public')

export async function build(): Promise<void> {
  rmSync(OUT, { recursive: true, force: true })
  mkdirSync(OUT, { recursive: true })
  if (existsSync('vite.config.ts')) {
    execFileSync(join('node_modules', '.bin', 'vite'), ['build', '--logLevel', 'warn'], {
      stdio: 'inherit',
    })
  }
  await buildTracker(OUT)
  await buildPackage()
  writeFileSync(join(OUT, '_headers'), HEADERS)
}

/**
 * The dashboard runs no inline script and talks only to its own origin; event data is
 * untrusted, so the policy is strict. The tracker is cached an hour at /t.js and for a year
 * at its hashed path.
 */
const HEADERS = `/*
  Content-Security-Policy: default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'
  X-Content-Type-Options: nosniff
  Referrer-Policy: no-referrer
/t.js
  Cache-Control: public, max-age=3600
  Access-Control-Allow-Origin: *
/t.*.js
  Cache-Control: public, max-age=31536000, immutable
  Access-Control-Allow-Origin: *
`

if (import.meta.url === `file://${process.argv[1]}`) await build()
