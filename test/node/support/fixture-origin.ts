/**
 * The bank's web app for browser tests: HTML fixture pages served from a second origin (a
 * tiny node server on its own port), so the tracker is loaded and sends cross-origin exactly
 * as on a real bank's site. Every page is served under a strict CSP: no inline script, no
 * eval, and connections only to the collector.
 */
import { readFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import { join } from 'node:path'
import { freePort } from './worker'

const DIR = join(process.cwd(), 'test', 'node', 'fixtures', 'tracker')

export type FixtureOrigin = {
  origin: string
  /** The URL of a tracked page at `path`, reporting to the site with public key `site`. */
  page: (site: string, path?: string) => string
  close: () => Promise<void>
}

export async function startFixtureOrigin(collector: string): Promise<FixtureOrigin> {
  const port = await freePort()
  const origin = `http://127.0.0.1:${port}`
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', origin)
    if (url.pathname == '/stub.js' || url.pathname == '/page.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' })
      return res.end(readFileSync(join(DIR, url.pathname.slice(1))))
    }
    if (url.pathname == '/favicon.ico') return res.writeHead(404).end()
    // Any other path is the app's one page (a single-page app), so reloads and deep links work.
    let html = readFileSync(join(DIR, 'page.html'), 'utf8')
      .replaceAll('{{COLLECTOR}}', collector)
      .replaceAll('{{SITE}}', url.searchParams.get('site') ?? '')
    let scripts = `'self' ${collector}`
    if (url.searchParams.has('inline')) {
      // The stub pasted inline and allowed by its hash, both exactly as tracker/README.md says.
      const readme = readFileSync(join(process.cwd(), 'tracker', 'README.md'), 'utf8')
      html = html.replace('<script src="/stub.js"></script>', readme.match(/<script>window.*/)![0])
      scripts += ` ${readme.match(/'sha256-[^']+'/)![0]}`
    }
    res.writeHead(200, {
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': `default-src 'none'; script-src ${scripts}; connect-src ${collector}`,
    })
    res.end(html)
  })
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r))
  return {
    origin,
    page: (site, path = '/') => {
      const url = new URL(path, origin)
      url.searchParams.set('site', site)
      return url.href
    },
    close: () => new Promise((r) => server.close(() => r())),
  }
}
